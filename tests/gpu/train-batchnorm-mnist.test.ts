// A BatchNorm CNN learns real MNIST digits in Node on SwiftShader, and is evaluated in inference mode: the
// held-out accuracy comes through the moving statistics the training steps accumulated (momentum 0.9 so that
// 60 steps converge them; Keras's 0.99 needs a few hundred), not the batch statistics.
import { expect, it } from 'vitest';
import { createContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { fitLogged } from './fit-logged';
import { bnCnnCode, mnistDataset, mnistSubset, trainingConfig } from './train-data';

const CODE = bnCnnCode(8, 16);

it('BatchNorm CNN on 240 MNIST digits, 4 epochs: loss halves, held-out accuracy (moving statistics) above 70%', async () => {
  const ctx = createContext((await nodeGpu()).device);
  const { built } = importKerasCode(CODE);
  const trainer = await Trainer.create(
    ctx,
    built,
    trainingConfig({ name: 'adam', learning_rate: 0.004 }, 16),
    { seed: 5 },
  );
  trainer.setDataset(mnistDataset(mnistSubset(240, 1000), { val: null, test: mnistSubset(160, 0, 't10k') }));
  const { losses, test } = await fitLogged(trainer, 'BatchNorm CNN, 240 samples', 4);
  expect(losses[3]).toBeLessThan(losses[0] / 2);
  expect(test.accuracy).toBeGreaterThan(0.7);
  const weights = await trainer.getWeights();
  const variance = weights.find((w) => w.name === 'batch_normalization/moving_variance');
  expect(variance?.data.some((v) => Math.abs(v - 1) > 0.05)).toBe(true);
  trainer.destroy();
}, 300_000);
