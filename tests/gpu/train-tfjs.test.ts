// Whole training steps of the paper-figure LeNet-5 against TensorFlow.js layers (CPU backend), an oracle no
// one here wrote: same initial weights, same MNIST batch (28x28 padded to 32x32), same optimizer; the loss
// and every updated weight must agree. Dropout's rate is 0 here (TF.js cannot share our mask).
//
// Adam: TF.js divides the bias-corrected m by sqrt(bias-corrected v) + eps, Keras 3 (and we) divide by
// sqrt(v) + eps after folding the corrections into the step size. At t = 1 the two are the same update when
// TF.js's epsilon is eps / sqrt(1 - beta_2), so the test passes that and needs only float32 tolerance.
// SGD with momentum has no such difference; two of its steps (the second uses the velocity) check the
// gradients' magnitudes, which Adam's first step (lr * g / (|g| + eps), nearly lr * sign(g)) mostly hides.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { paperLeNet5 } from '../../src/model/presets';
import { Sequential } from '../../src/model/sequential';
import type { OptimizerConfig } from '../../src/model/training-config';
import type { NamedWeight } from '../../src/model/weights';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { mnistDataset, mnistSubset, trainingConfig } from './train-data';

const BATCH = 16;
let ctx: GpuContext;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  ctx = createContext((await nodeGpu()).device);
});

function ourLeNet() {
  const s = paperLeNet5();
  const layers = s.layers.map((l) =>
    l.className === 'Dropout' ? { ...l, config: { ...l.config, rate: 0 } } : l,
  );
  return new Sequential(layers, s.name, s.inputShape).build();
}

function tfjsLeNet(): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [32, 32, 1] }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 120, activation: 'relu' }));
  m.add(tfl.layers.dropout({ rate: 0 }));
  m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

/** MNIST 28x28 bytes -> [n, 32, 32, 1] floats in [0, 1], zero-padded by 2 on each side. */
function padded(images: Uint8Array, n: number): tf.Tensor4D {
  const out = new Float32Array(n * 32 * 32);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) out[i * 1024 + (y + 2) * 32 + x + 2] = images[i * 784 + y * 28 + x] / 255;
  return tf.tensor4d(out, [n, 32, 32, 1]);
}

function compare(ours: NamedWeight[], theirs: tf.Tensor[], what: string): void {
  expect(ours).toHaveLength(theirs.length);
  ours.forEach((w, i) => {
    const t = theirs[i].dataSync();
    expect(Array.from(theirs[i].shape)).toEqual(w.shape);
    let worst = 0;
    for (let j = 0; j < t.length; j++) {
      worst = Math.max(worst, Math.abs(w.data[j] - t[j]) / (1e-6 + 1e-4 * Math.abs(t[j])));
    }
    // |ours - tfjs| <= 1e-6 + 1e-4 |tfjs|: float32 sums in a different order (the updates are ~1e-3).
    expect(worst, `${what} ${w.name}`).toBeLessThanOrEqual(1);
  });
}

async function run(optimizer: OptimizerConfig, tfOptimizer: tf.Optimizer, steps: number): Promise<void> {
  const model = ourLeNet();
  expect(model.paramCount).toBe(51902);
  const trainer = await Trainer.create(ctx, model, trainingConfig(optimizer, BATCH), { seed: 11 });
  const data = mnistSubset(BATCH * steps, 100);
  trainer.setDataset(mnistDataset(data));
  const initial = await trainer.getWeights();
  const reference = tfjsLeNet();
  reference.setWeights(initial.map((w) => tf.tensor(w.data, w.shape)));
  reference.compile({ optimizer: tfOptimizer, loss: 'sparseCategoricalCrossentropy' });
  // The weights really move: a no-op step would fail the comparison below.
  let moved = 0;
  for (let s = 0; s < steps; s++) {
    const images = data.images.subarray(s * BATCH * 784, (s + 1) * BATCH * 784);
    const labels = data.labels.subarray(s * BATCH, (s + 1) * BATCH);
    const ours = await trainer.trainOnBatch(images, labels, BATCH);
    const x = padded(images, BATCH);
    const y = tf.tensor2d(Float32Array.from(labels), [BATCH, 1]);
    const theirs = (await reference.trainOnBatch(x, y)) as number;
    tf.dispose([x, y]);
    expect(Math.abs(ours.loss - theirs) / theirs, `loss at step ${s}`).toBeLessThan(1e-5);
    const after = await trainer.getWeights();
    compare(after, reference.getWeights(), `step ${s}`);
    moved = Math.max(moved, ...after[0].data.map((v, j) => Math.abs(v - initial[0].data[j])));
  }
  expect(moved).toBeGreaterThan(1e-4);
  trainer.destroy();
}

describe('LeNet-5 training steps vs TensorFlow.js layers', () => {
  it('one Adam step (Keras 3 epsilon mapped onto TF.js placement): loss and all 8 weight arrays', async () => {
    const lr = 1e-3;
    const eps = 1e-7;
    await run(
      { name: 'adam', learning_rate: lr, epsilon: eps },
      tf.train.adam(lr, 0.9, 0.999, eps / Math.sqrt(1 - 0.999)),
      1,
    );
  });

  it('two SGD-with-momentum steps: loss and weights after each', async () => {
    await run({ name: 'sgd', learning_rate: 0.05, momentum: 0.9 }, tf.train.momentum(0.05, 0.9), 2);
  });
});
