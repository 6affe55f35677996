// Layers with several kinds of weights in .keras and .h5 files: the order Keras saves them in (trainable, then
// non-trainable: BatchNormalization's gamma, beta, moving_mean, moving_variance; SeparableConv2D's depthwise
// kernel, pointwise kernel, bias), as h5py reads our exports, and back through our importers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { exportKerasH5, importKerasH5 } from '../../src/keras/h5';
import { exportKerasFile, importKerasFile } from '../../src/keras/keras-file';
import { type BuiltModel, initialWeights, type NamedWeight } from '../../src/model';
import { h5Layout, makeKerasFixtures } from './keras-python';

let dir: string;
let built: BuiltModel;
let weights: NamedWeight[];

beforeAll(() => {
  dir = makeKerasFixtures();
  built = importKerasCode(`
from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([
    keras.Input(shape=(10, 10, 3)),
    layers.Conv2D(4, 3, use_bias=False),
    layers.BatchNormalization(),
    layers.DepthwiseConv2D(3, depth_multiplier=2),
    layers.SeparableConv2D(5, 3),
    layers.BatchNormalization(center=False),
    layers.Conv2DTranspose(2, 2, strides=2),
    layers.GlobalAveragePooling2D(),
    layers.Dense(3, activation='softmax'),
])
`).built;
  // Distinct values per array, so a swapped order shows.
  weights = initialWeights(built, 5).map((w, k) => ({ ...w, data: w.data.map((v) => v + k) }));
}, 60_000);

/** [name, shape] of every weight array, in the order Keras keeps them. */
const KERAS_ORDER = [
  ['conv2d/kernel', [3, 3, 3, 4]],
  ['batch_normalization/gamma', [4]],
  ['batch_normalization/beta', [4]],
  ['batch_normalization/moving_mean', [4]],
  ['batch_normalization/moving_variance', [4]],
  ['depthwise_conv2d/depthwise_kernel', [3, 3, 4, 2]],
  ['depthwise_conv2d/bias', [8]],
  ['separable_conv2d/depthwise_kernel', [3, 3, 8, 1]],
  ['separable_conv2d/pointwise_kernel', [1, 1, 8, 5]],
  ['separable_conv2d/bias', [5]],
  ['batch_normalization_1/gamma', [5]],
  ['batch_normalization_1/moving_mean', [5]],
  ['batch_normalization_1/moving_variance', [5]],
  ['conv2d_transpose/kernel', [2, 2, 2, 5]],
  ['conv2d_transpose/bias', [2]],
  ['dense/kernel', [2, 3]],
  ['dense/bias', [3]],
];

/** The names of KERAS_ORDER[from, to). */
const names = (from: number, to: number) => KERAS_ORDER.slice(from, to).map(([n]) => n as string);
const values = (name: string) => Array.from(weights.find((w) => w.name === name)!.data);

describe('weights of many kinds in model files', () => {
  it('the model keeps its weights in Keras order', () => {
    expect(weights.map((w) => [w.name, w.shape])).toEqual(KERAS_ORDER);
  });

  it('.keras: layers/<class>/vars/<i> in that order, read back the same', async () => {
    const file = join(dir, 'blocks.keras');
    const bytes = await exportKerasFile(built, weights);
    writeFileSync(file, bytes);
    const paths = h5Layout(file).paths;
    const at = (group: string, names: string[]) =>
      names.forEach((n, i) => {
        expect({ n, shape: paths[`layers/${group}/vars/${i}`]?.shape }).toEqual({
          n,
          shape: KERAS_ORDER.find(([k]) => k === n)![1],
        });
        expect(paths[`layers/${group}/vars/${i}`].data).toEqual(values(n));
      });
    at('batch_normalization', names(1, 5));
    at('separable_conv2d', names(7, 10));
    // The second BatchNormalization (center=False) has no beta: three arrays.
    at('batch_normalization_1', names(10, 13));
    expect(paths['layers/batch_normalization_1/vars/3']).toBeUndefined();
    const back = await importKerasFile(bytes, 'blocks.keras');
    expect(back.weights.map((w) => [w.name, Array.from(w.data)])).toEqual(
      weights.map((w) => [w.name, Array.from(w.data)]),
    );
  }, 120_000);

  it('.h5: weight_names in that order with :0 suffixes, read back the same', async () => {
    const file = join(dir, 'blocks.h5');
    const bytes = await exportKerasH5(built, weights);
    writeFileSync(file, bytes);
    const paths = h5Layout(file).paths;
    expect(paths['model_weights/batch_normalization'].attrs.weight_names).toEqual(
      names(1, 5).map((n) => `${n}:0`),
    );
    expect(paths['model_weights/separable_conv2d'].attrs.weight_names).toEqual(
      names(7, 10).map((n) => `${n}:0`),
    );
    expect(paths['model_weights/batch_normalization/batch_normalization/moving_variance:0'].data).toEqual(
      values('batch_normalization/moving_variance'),
    );
    const back = await importKerasH5(bytes, 'blocks.h5');
    expect(back.weights.map((w) => [w.name, Array.from(w.data)])).toEqual(
      weights.map((w) => [w.name, Array.from(w.data)]),
    );
  }, 120_000);
});
