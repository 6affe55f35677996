// ONNX export checked by onnxruntime-web (its wasm backend, in Node): the exported model loads, declares
// opset 13 with an NHWC input, and predicts what our GPU predicts on the same images, after training.

import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { exportOnnx, ONNX_OPSET } from '../../src/keras/onnx';
import { type BuiltModel, DEFAULT_TRAINING, paperLeNet5, Rng } from '../../src/model';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { randomDataset } from '../helpers/random-data';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
  ort.env.wasm.numThreads = 1;
});

/** Probabilities in float32 on both sides; kernels differ only in summation order. */
const TOLERANCE = 1e-5;

async function compare(model: BuiltModel, seed: number) {
  const [h, w, c] = model.inputShape;
  const classes = model.layers[model.layers.length - 1].outputShape[0];
  const trainer = await Trainer.create(ctx, model, { ...DEFAULT_TRAINING, batch_size: 8 }, { seed });
  const count = 12;
  const pixels = h * w * c;
  const dataset = randomDataset(model.inputShape, classes, count, new Rng(seed + 1));
  const { images, labels } = dataset.train;
  trainer.setDataset(dataset);
  // A few Adam steps so the exported weights are trained ones.
  for (let i = 0; i < 3; i++) {
    await trainer.trainOnBatch(images.subarray(0, 8 * pixels), labels.subarray(0, 8), 8);
  }
  const weights = await trainer.getWeights();
  const ours = await trainer.predict(images, count);
  trainer.destroy();

  const bytes = exportOnnx(model, weights);
  const decoded = onnx.ModelProto.decode(bytes);
  expect(decoded.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
  expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);

  const session = await ort.InferenceSession.create(bytes);
  expect(session.inputNames).toEqual(['input']);
  expect(session.outputNames).toEqual(['output']);
  const x = new ort.Tensor(
    'float32',
    Float32Array.from(images, (v) => v / 255),
    [count, h, w, c],
  );
  const out = (await session.run({ input: x })).output;
  expect(out.dims).toEqual([count, classes]);
  const theirs = out.data as Float32Array;
  let maxErr = 0;
  for (let i = 0; i < theirs.length; i++) maxErr = Math.max(maxErr, Math.abs(theirs[i] - ours[i]));
  expect(maxErr).toBeLessThan(TOLERANCE);
  // The images do not all get the same prediction (a constant output would hide a wrong graph).
  let spread = 0;
  for (let i = classes; i < ours.length; i++)
    spread = Math.max(spread, Math.abs(ours[i] - ours[i % classes]));
  expect(spread).toBeGreaterThan(100 * TOLERANCE);
  await session.release();
}

/** Imports a Keras Sequential model from the lines of its layer list, as the editor's code would hold it. */
function sequential(layerLines: string): BuiltModel {
  return importKerasCode(
    `\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n${layerLines}])\n`,
  ).built;
}

describe('ONNX export predicts what our GPU predicts (onnxruntime-web, wasm)', () => {
  it('the paper LeNet-5, trained', async () => {
    await compare(paperLeNet5().build(), 5);
  });

  it('same/valid padding, strides, zero padding, average and max pooling, elu/leaky_relu/tanh/sigmoid', async () => {
    await compare(
      sequential(`
    keras.Input(shape=(13, 11, 3)),
    layers.ZeroPadding2D(((1, 2), (0, 1))),
    layers.Conv2D(6, 3, strides=2, padding='same', activation='elu'),
    layers.AveragePooling2D(2, padding='same'),
    layers.Conv2D(8, (2, 3), activation='leaky_relu'),
    layers.MaxPooling2D((2, 1), strides=1, padding='same'),
    layers.Activation('tanh'),
    layers.Flatten(),
    layers.Dropout(0.3),
    layers.Dense(16, activation='sigmoid'),
    layers.Dense(5, activation='softmax'),
`),
      7,
    );
  });

  it('rescaling, normalization, batch norm, depthwise and separable convs, relu6/swish, global max', async () => {
    await compare(
      sequential(`
    keras.Input(shape=(9, 9, 2)),
    layers.Rescaling(2.0, offset=-1.0),
    layers.Normalization(mean=[0.1, -0.2], variance=[0.5, 2.0]),
    layers.Conv2D(6, 3, padding='same', use_bias=False),
    layers.BatchNormalization(),
    layers.Activation('relu'),
    layers.DepthwiseConv2D(3, depth_multiplier=2, padding='same', activation='relu6'),
    layers.SeparableConv2D(5, 3, strides=2, activation='swish'),
    layers.GlobalMaxPooling2D(),
    layers.Dense(3, activation='softmax'),
`),
      11,
    );
  });

  it('upsampling and transposed convs (same, and valid with kernel < strides), gelu/selu/softplus', async () => {
    await compare(
      sequential(`
    keras.Input(shape=(5, 4, 1)),
    layers.Conv2D(3, 2, activation='softplus'),
    layers.UpSampling2D((2, 3)),
    layers.Conv2DTranspose(4, 3, strides=2, padding='same', activation='gelu'),
    layers.Conv2DTranspose(2, 2, strides=3, activation='selu'),
    layers.Flatten(),
    layers.Dense(4, activation='softmax'),
`),
      13,
    );
  });

  it('a functional graph: residual Add, Concatenate, Multiply/Subtract/Maximum/Average merges', async () => {
    const { built } = importKerasCode(`
from tensorflow import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(8, 8, 3))
a = layers.Conv2D(4, 3, padding='same', activation='relu')(inputs)
b = layers.Conv2D(4, 3, padding='same')(a)
s = layers.Add()([a, b])
c = layers.Concatenate()([s, a])
m = layers.Multiply()([a, b])
d = layers.Subtract()([m, b])
x = layers.Maximum()([d, a])
y = layers.Average()([x, b])
z = layers.Concatenate(axis=-1)([c, y])
p = layers.GlobalAveragePooling2D()(z)
outputs = layers.Dense(3, activation='softmax')(p)
model = keras.Model(inputs, outputs)
`);
    expect(built.functional).toBe(true);
    await compare(built, 17);
  });

  it('global average pooling after convolutions', async () => {
    await compare(
      sequential(`
    keras.Input(shape=(10, 10, 2)),
    layers.Conv2D(8, 3, padding='same', activation='relu'),
    layers.Conv2D(12, 3, strides=2, activation='relu'),
    layers.GlobalAveragePooling2D(),
    layers.Dense(4, activation='softmax'),
`),
      9,
    );
  });

  it('RandomCrop at inference as Keras 3 does it: the centred window of its aspect, resized (flips: identity)', async () => {
    const cropped = (input: string, head: string) =>
      sequential(`
    keras.Input(shape=${input}),
${head}
    layers.Conv2D(4, 3, activation='tanh'),
    layers.Flatten(),
    layers.Dense(3, activation='softmax'),
`);
    // 12x10 -> the centred 10x10 window, resized down to 8x8.
    await compare(
      cropped('(12, 10, 1)', "    layers.RandomFlip('horizontal'),\n    layers.RandomCrop(8, 8),"),
      21,
    );
    // 8x12 -> the centred 8x8 window resized to 6x6; then 6x6 -> a 6x4 window, sliced without resizing.
    await compare(cropped('(8, 12, 2)', '    layers.RandomCrop(6, 6),\n    layers.RandomCrop(6, 4),'), 22);
  });
});
