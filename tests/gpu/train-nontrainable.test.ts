// Non-trainable weights (BatchNormalization's moving statistics) in the compiled graph: no gradient buffer,
// never given to the optimizer, updated by the layer's own training forward, and saved, restored and loaded
// with the weights like any other.
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { DEFAULT_TRAINING } from '../../src/model/training-config';
import { Trainer } from '../../src/train';
import type { Engine } from '../../src/train/engine';
import { nodeGpu } from '../helpers/node-gpu';
import { mnistDataset, mnistSubset } from './train-data';

const CODE = `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(4, 3, strides=2, name='conv'),
    layers.BatchNormalization(name='bn'),
    layers.Activation('relu'),
    layers.Flatten(),
    layers.Dense(10, activation='softmax', name='out'),
])
`;

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
});

describe('non-trainable weights', () => {
  it('are kept from the optimizer, move in training, and round-trip through get/setWeights', async () => {
    const model = importKerasCode(CODE).built;
    const t = await Trainer.create(ctx, model, { ...DEFAULT_TRAINING, batch_size: 16, validation_split: 0 });
    // The engine is private: read what it compiled (tests only).
    const engine = (t as unknown as { engine: Engine }).engine;
    const names = engine.net.params.map((p) => p.name);
    expect(names).toEqual([
      'conv/kernel',
      'conv/bias',
      'bn/gamma',
      'bn/beta',
      'bn/moving_mean',
      'bn/moving_variance',
      'out/kernel',
      'out/bias',
    ]);
    expect(engine.net.params.filter((p) => p.grad === null).map((p) => p.name)).toEqual([
      'bn/moving_mean',
      'bn/moving_variance',
    ]);
    expect(engine.optimizer.dispatches.map((d) => d.label)).toEqual(
      ['conv/kernel', 'conv/bias', 'bn/gamma', 'bn/beta', 'out/kernel', 'out/bias'].map((n) => `adam ${n}`),
    );
    const data = mnistSubset(16, 40);
    t.setDataset(mnistDataset(data));
    const initial = await t.getWeights();
    const mean0 = initial[4].data;
    expect(Array.from(mean0)).toEqual([0, 0, 0, 0]);
    await t.trainOnBatch(data.images, data.labels, 16);
    const after = await t.getWeights();
    // Keras 3: moving = moving * 0.99 + batch_mean * 0.01; the conv outputs' means are not all zero.
    expect(after[4].data.some((v) => Math.abs(v) > 1e-6)).toBe(true);
    expect(after[5].data.some((v) => Math.abs(v - 1) > 1e-6)).toBe(true);
    t.setWeights(initial);
    const back = await t.getWeights();
    back.forEach((w, i) => {
      expect(Array.from(w.data), w.name).toEqual(Array.from(initial[i].data));
    });
    t.destroy();
  });
});
