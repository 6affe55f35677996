// TF.js as the oracle for the whole exported model: train the paper LeNet-5 a few steps on the GPU, export
// model.json + weights in the TF.js Layers format, load them with tf.loadLayersModel (tfjs-layers, CPU
// backend, in-memory IO handler) and compare its predict with the Trainer's GPU predict on the same images.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { DEFAULT_TRAINING, paperLeNet5, Rng } from '../../src/model';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { randomDataset } from '../helpers/random-data';
import { loadTfjsExport } from '../helpers/tfjs-layers';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
  await tf.setBackend('cpu');
});

it('tf.loadLayersModel of our TF.js export predicts what our GPU predicts, after training', async () => {
  const model = paperLeNet5().build();
  const trainer = await Trainer.create(ctx, model, { ...DEFAULT_TRAINING, batch_size: 8 }, { seed: 5 });
  const count = 16;
  const pixels = 32 * 32;
  const dataset = randomDataset([32, 32, 1], 10, count, new Rng(11));
  const { images, labels } = dataset.train;
  trainer.setDataset(dataset);
  const before = await trainer.getWeights();
  // A few Adam steps so the exported weights are not just the initial ones.
  for (let i = 0; i < 3; i++)
    await trainer.trainOnBatch(images.subarray(0, 8 * pixels), labels.subarray(0, 8), 8);
  const weights = await trainer.getWeights();
  const ours = await trainer.predict(images, count);

  const loaded = await loadTfjsExport(model, weights);
  const x = tf.tensor(
    Float32Array.from(images, (v) => v / 255),
    [count, 32, 32, 1],
  );
  const y = loaded.predict(x) as tf.Tensor;
  const theirs = await y.data();
  expect(y.shape).toEqual([count, 10]);
  let maxErr = 0;
  for (let i = 0; i < theirs.length; i++) maxErr = Math.max(maxErr, Math.abs(theirs[i] - ours[i]));
  // Probabilities in float32 on both sides; kernels differ only in summation order.
  expect(maxErr).toBeLessThan(1e-5);
  // The trained weights differ from the initial ones, so the comparison is not of a fresh model.
  expect(weights[0].data.some((v, i) => v !== before[0].data[i])).toBe(true);
  x.dispose();
  y.dispose();
  loaded.dispose();
  trainer.destroy();
});
