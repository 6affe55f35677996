// The new layers inside the real trainer: a model written as Keras code with every new op (Rescaling,
// BatchNormalization, DepthwiseConv2D, SeparableConv2D, UpSampling2D, Conv2DTranspose, GlobalMaxPooling2D) is
// imported through the layer specs, compiled by the trainer (weights by Keras name in io.params) and trained
// on a fixed batch: the loss falls, BatchNormalization's moving statistics move as Keras's update says, a partial
// batch trains, and predict (inference, moving statistics) gives probabilities.
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { Rng } from '../../src/model/random';
import { DEFAULT_TRAINING } from '../../src/model/training-config';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
});

const CODE = `
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(12, 12, 1)),
    layers.Rescaling(2.0, offset=-1.0),
    layers.Conv2D(8, 3, padding="same", use_bias=False),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.DepthwiseConv2D(3, padding="same", activation="relu"),
    layers.SeparableConv2D(8, 3, strides=2, padding="same", activation="relu"),
    layers.UpSampling2D(2),
    layers.Conv2DTranspose(6, 3, strides=2, padding="same", activation="relu"),
    layers.GlobalMaxPooling2D(),
    layers.Dense(10, activation="softmax"),
])
`;

describe('the new layers in a training model', () => {
  it('imports, compiles and learns a fixed batch; BatchNormalization updates its moving statistics', async () => {
    const { built: model } = importKerasCode(CODE);
    expect(model.layers.map((l) => l.layer.className)).toEqual([
      'Rescaling',
      'Conv2D',
      'BatchNormalization',
      'Activation',
      'DepthwiseConv2D',
      'SeparableConv2D',
      'UpSampling2D',
      'Conv2DTranspose',
      'GlobalMaxPooling2D',
      'Dense',
    ]);
    const t = await Trainer.create(ctx, model, {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learning_rate: 0.01 },
      batch_size: 8,
      validation_split: 0,
    });
    const rng = new Rng(5);
    const images = Uint8Array.from({ length: 8 * 144 }, () => Math.floor(rng.next() * 256));
    const labels = Int32Array.from({ length: 8 }, (_, i) => i % 10);
    const before = await t.getWeights();
    const weight = (ws: typeof before, name: string) => {
      const w = ws.find((x) => x.name === name);
      if (!w) throw new Error(`no weight ${name} among ${ws.map((x) => x.name).join(', ')}`);
      return w.data;
    };
    expect([...weight(before, 'batch_normalization/moving_mean')].every((v) => v === 0)).toBe(true);
    expect([...weight(before, 'batch_normalization/moving_variance')].every((v) => v === 1)).toBe(true);

    const first = await t.trainOnBatch(images, labels, 8);
    const one = await t.getWeights();
    // After one step: moving = 0.99 * moving + 0.01 * batch statistic, so each entry moved off its start but
    // by at most 1% of a statistic of relu-free conv outputs (bounded here by a few units).
    const mm = weight(one, 'batch_normalization/moving_mean');
    const mv = weight(one, 'batch_normalization/moving_variance');
    expect(mm.some((v) => v !== 0)).toBe(true);
    expect([...mm].every((v) => Math.abs(v) < 0.1)).toBe(true);
    expect([...mv].every((v) => v >= 0.99 && v < 1.1)).toBe(true);
    expect(mv.some((v) => v !== 1)).toBe(true);

    let last = first;
    for (let i = 0; i < 25; i++) last = await t.trainOnBatch(images, labels, 8);
    expect(Number.isFinite(first.loss)).toBe(true);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    const after = await t.getWeights();
    for (const name of [
      'batch_normalization/gamma',
      'depthwise_conv2d/depthwise_kernel',
      'separable_conv2d/pointwise_kernel',
      'conv2d_transpose/kernel',
    ]) {
      expect(weight(after, name), `${name} trained`).not.toEqual(weight(before, name));
    }

    const partial = await t.trainOnBatch(images, labels, 5);
    expect(Number.isFinite(partial.loss)).toBe(true);
    const probs = await t.predict(images, 8);
    for (let r = 0; r < 8; r++) {
      expect(probs.subarray(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    t.destroy();
  });
});
