// TF.js as the oracle: tf.loadLayersModel (tfjs-layers on the CPU backend, from an in-memory IO handler)
// loads our exported model.json + weights, and its predict must match a float64 forward pass through
// src/reference on the same batch.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportTfjsModel, importKerasCode } from '../../src/keras';
import { type BuiltModel, initialWeights, type NamedWeight, paperLeNet5 } from '../../src/model';
import { tensor } from '../../src/reference/tensor';
import { referenceForward } from '../helpers/reference-forward';
import { loadTfjsExport } from '../helpers/tfjs-layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic values in [-1, 1) that are not all alike (a small LCG). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Glorot kernels, and non-zero biases so a bias loaded into the wrong place shows. */
function weightsFor(model: BuiltModel): NamedWeight[] {
  return initialWeights(model, 3).map((w, i) =>
    w.name.endsWith('/bias') ? { ...w, data: values(w.data.length, 100 + i).map((v) => v * 0.3) } : w,
  );
}

async function compare(model: BuiltModel, batch: number): Promise<number> {
  const weights = weightsFor(model);
  const loaded = await loadTfjsExport(model, weights);
  const shape = [batch, ...model.inputShape];
  const x = values(
    shape.reduce((a, b) => a * b, 1),
    7,
  );
  const yTf = loaded.predict(tf.tensor(x, shape)) as tf.Tensor;
  const ours = referenceForward(model, weights, tensor(shape, x));
  expect(yTf.shape).toEqual(ours.shape);
  const theirs = await yTf.data();
  let maxErr = 0;
  for (let i = 0; i < theirs.length; i++) maxErr = Math.max(maxErr, Math.abs(theirs[i] - ours.data[i]));
  loaded.dispose();
  yTf.dispose();
  return maxErr;
}

describe('TF.js loads our exports and predicts what the reference computes', () => {
  it('the paper LeNet-5, batch of 3', async () => {
    const err = await compare(paperLeNet5().build(), 3);
    expect(err).toBeLessThan(1e-5);
  });

  it('padding, strides, pooling modes and every activation form', async () => {
    const { built } = importKerasCode(`
model = keras.Sequential([
    keras.Input(shape=(9, 9, 2)),
    layers.ZeroPadding2D(((1, 0), (0, 2))),
    layers.Conv2D(3, 3, strides=2, padding="same", activation="tanh"),
    layers.AveragePooling2D(2, strides=1, padding="same"),
    layers.LeakyReLU(negative_slope=0.1),
    layers.Conv2D(4, (2, 3), activation="elu", use_bias=False, kernel_initializer="he_normal"),
    layers.ELU(alpha=1.0),
    layers.MaxPooling2D(2, padding="same"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5, activation="sigmoid"),
    layers.Dense(4, activation="leaky_relu"),
    layers.ReLU(),
    layers.Dense(3),
    layers.Softmax(),
])`);
    expect(built.layers.map((l) => l.outputShape.join('x'))).toEqual([
      '10x11x2',
      '5x6x3',
      '5x6x3',
      '5x6x3',
      '4x4x4',
      '4x4x4',
      '2x2x4',
      '4',
      '5',
      '4',
      '4',
      '3',
      '3',
    ]);
    expect(await compare(built, 4)).toBeLessThan(1e-5);
  });

  it("refuses ELU(alpha != 1), which TF.js's ELU layer cannot load", () => {
    const { built } = importKerasCode('model = Sequential([Dense(3, input_shape=(2,)), ELU(alpha=0.5)])');
    expect(() => exportTfjsModel(built, weightsFor(built))).toThrow(
      "elu: TF.js's ELU layer only supports alpha=1.0 (this one has 0.5); export Keras code or JSON " +
        'instead, or use alpha=1.0',
    );
  });

  it('an MLP on a 2-D input with dropout (identity at inference)', async () => {
    const { built } = importKerasCode(
      'model = Sequential([Flatten(input_shape=(6, 5)), Dense(16, activation="relu"), Dropout(0.3), Dense(4, activation="softmax")])',
    );
    expect(await compare(built, 5)).toBeLessThan(1e-5);
  });
});
