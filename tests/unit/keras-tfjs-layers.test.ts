// TF.js reads our TF.js exports of the new layers and of functional models: tf.loadLayersModel builds the
// same network (output shape, parameter count, non-trainable weights) and holds our weights under Keras names.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { type BuiltModel, initialWeights, summarize } from '../../src/model';
import { loadTfjsExport } from '../helpers/tfjs-layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function load(model: BuiltModel) {
  const weights = initialWeights(model, 11).map((w, i) => ({
    ...w,
    // Distinct values everywhere, so a weight loaded into the wrong slot shows.
    data: w.data.map(
      (_, k) => ((i * 7919 + k * 104729) % 1000) / 1000 + (w.name.endsWith('variance') ? 1 : 0),
    ),
  }));
  const loaded = await loadTfjsExport(model, weights);
  return { loaded, weights };
}

async function expectSameNetwork(model: BuiltModel) {
  const { loaded, weights } = await load(model);
  const s = summarize(model);
  expect(loaded.countParams()).toBe(s.totalParams);
  const nonTrainable = loaded.nonTrainableWeights.reduce(
    (a, w) => a + (w.shape as number[]).reduce((x, y) => x * y, 1),
    0,
  );
  expect(nonTrainable).toBe(s.nonTrainableParams);
  const y = loaded.predict(tf.zeros([2, ...model.inputShape])) as tf.Tensor;
  expect(y.shape).toEqual([2, ...model.layers[model.layers.length - 1].outputShape]);
  // Every weight TF.js holds is ours, by name.
  expect(loaded.weights.length).toBe(weights.length);
  const ours = new Map(weights.map((w) => [w.name, w]));
  for (const w of loaded.weights) {
    const name = w.originalName.replace(/^.*?\/(?=[^/]+\/[^/]+$)/, '');
    const mine = ours.get(name);
    expect(mine, name).toBeDefined();
    expect(Array.from(await w.read().data())).toEqual(Array.from(mine?.data ?? []));
  }
  loaded.dispose();
}

describe('TF.js loads our exports of the new layers', () => {
  it('BatchNormalization, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, UpSampling2D, GlobalMaxPooling2D', async () => {
    const r = importKerasCode(`model = keras.Sequential([
    keras.Input(shape=(8, 8, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(4, 3, padding="same", use_bias=False),
    layers.BatchNormalization(),
    layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
    layers.SeparableConv2D(6, 3),
    layers.Conv2DTranspose(5, 2, strides=2),
    layers.UpSampling2D(),
    layers.GlobalMaxPooling2D(),
    layers.Dense(3, activation="softmax"),
])`);
    await expectSameNetwork(r.built);
  });

  it('a functional residual block with a projection shortcut and a concatenation', async () => {
    const r = importKerasCode(`
inputs = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(4, 3, padding="same")(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
s = layers.Conv2D(4, 1)(inputs)
x = layers.Add()([x, s])
x = layers.Concatenate()([x, s])
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
`);
    await expectSameNetwork(r.built);
  });
});
