// The paper-figure LeNet-5 (dropout 0.5 included) learns real MNIST digits in Node on SwiftShader: 28x28 images
// padded to its 32x32 input on the GPU, a few hundred samples, a few epochs.
import { expect, it } from 'vitest';
import { createContext } from '../../src/gpu/context';
import { paperLeNet5 } from '../../src/model/presets';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { mnistDataset, mnistSubset, trainingConfig } from './train-data';

it('LeNet-5 on 240 MNIST digits, 4 epochs: loss falls below half of epoch 1, held-out accuracy above 70%', async () => {
  const ctx = createContext((await nodeGpu()).device);
  const trainer = await Trainer.create(
    ctx,
    paperLeNet5().build(),
    trainingConfig({ name: 'adam', learning_rate: 0.004 }, 16),
    { seed: 5 },
  );
  // Held-out digits come from the t10k file: never seen in training.
  const heldOut = mnistSubset(160, 0, 't10k');
  // No per-epoch validation: it would cost a third more time here; the held-out set is evaluated once.
  trainer.setDataset(mnistDataset(mnistSubset(240, 1000), { val: null, test: heldOut }));
  const t0 = performance.now();
  const h = await trainer.fit({ epochs: 4 });
  const seconds = (performance.now() - t0) / 1000;
  const losses = h.epochs.map((e) => e.loss);
  console.log(
    `LeNet-5, 240 samples x 4 epochs in ${seconds.toFixed(1)} s; loss ${losses.map((l) => l.toFixed(3)).join(' ')}`,
  );
  expect(h.epochs[0].val_loss).toBeUndefined();
  expect(losses[3]).toBeLessThan(losses[0] / 2);
  const test = await trainer.evaluate('test');
  console.log(`held-out accuracy ${test.accuracy.toFixed(3)}, loss ${test.loss.toFixed(3)}`);
  expect(test.accuracy).toBeGreaterThan(0.7);
  // Predictions agree with the evaluation: argmax of predict's probabilities gives the same accuracy.
  const probs = await trainer.predict(heldOut.images, heldOut.count);
  let correct = 0;
  for (let i = 0; i < heldOut.count; i++) {
    const row = probs.subarray(i * 10, i * 10 + 10);
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    if (row.indexOf(Math.max(...row)) === heldOut.labels[i]) correct++;
  }
  expect(correct / heldOut.count).toBeCloseTo(test.accuracy, 5);
  trainer.destroy();
});
