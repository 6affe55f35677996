// A residual block written as Keras functional code (conv -> conv -> conv, Add with the skip, relu, pool,
// dense): whole training steps against TensorFlow.js layers with the same weights (an oracle no one here
// wrote), and learning real MNIST digits (1,200 samples, 3 epochs: 0.89 held-out accuracy).
//
// Adam: TF.js divides the bias-corrected m by sqrt(bias-corrected v) + eps, Keras 3 (and we) by sqrt(v) + eps
// after folding the corrections into the step; at t = 1 they agree when TF.js's epsilon is eps / sqrt(1 -
// beta_2) (see train-tfjs.test.ts). Adam's first step is nearly lr * sign(g), so one SGD step checks the
// gradients' magnitudes too.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { DEFAULT_TRAINING, type OptimizerConfig, type TrainingConfig } from '../../src/model/training-config';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { MNIST_CLASSES, mnistSubset } from './train-data';

const CODE = `import keras
from keras import layers
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3, strides=2, padding='same', activation='relu', name='stem')(inputs)
y = layers.Conv2D(8, 3, padding='same', activation='relu', name='conv_a')(x)
y = layers.Conv2D(8, 3, padding='same', name='conv_b')(y)
y = layers.Add(name='add')([x, y])
y = layers.Activation('relu', name='relu')(y)
y = layers.MaxPooling2D(2, name='pool')(y)
y = layers.Flatten(name='flatten')(y)
outputs = layers.Dense(10, activation='softmax', name='dense')(y)
model = keras.Model(inputs, outputs, name='resblock')
`;

let ctx: GpuContext;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  ctx = createContext((await nodeGpu()).device);
});

function tfjsBlock(): tfl.LayersModel {
  const inputs = tfl.input({ shape: [28, 28, 1] });
  const conv = (name: string, strides: number, activation: 'relu' | 'linear') =>
    tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides, padding: 'same', activation, name });
  const x = conv('stem', 2, 'relu').apply(inputs) as tfl.SymbolicTensor;
  let y = conv('conv_a', 1, 'relu').apply(x) as tfl.SymbolicTensor;
  y = conv('conv_b', 1, 'linear').apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.add({ name: 'add' }).apply([x, y]) as tfl.SymbolicTensor;
  y = tfl.layers.activation({ activation: 'relu', name: 'relu' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.flatten({ name: 'flatten' }).apply(y) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 10, activation: 'softmax', name: 'dense' })
    .apply(y) as tfl.SymbolicTensor;
  return tfl.model({ inputs, outputs: out });
}

const mnist = (train: ReturnType<typeof mnistSubset>, test?: ReturnType<typeof mnistSubset>) => ({
  height: 28,
  width: 28,
  channels: 1,
  classNames: MNIST_CLASSES,
  normalization: { kind: 'scale255' as const },
  train,
  val: test ?? null,
  test: test ?? null,
});

function built() {
  const r = importKerasCode(CODE);
  expect(r.built.layers.map((l) => l.layer.config.name)).toEqual([
    'stem',
    'conv_a',
    'conv_b',
    'add',
    'relu',
    'pool',
    'flatten',
    'dense',
  ]);
  // stem's output fans out to conv_a and the Add.
  expect(r.built.layers[3].inbound).toEqual([0, 2]);
  return r.built;
}

async function stepVsTfjs(optimizer: OptimizerConfig, tfOptimizer: tf.Optimizer): Promise<void> {
  const BATCH = 16;
  const config: TrainingConfig = { ...DEFAULT_TRAINING, optimizer, batch_size: BATCH, validation_split: 0 };
  const trainer = await Trainer.create(ctx, built(), config, { seed: 5 });
  const data = mnistSubset(BATCH, 300);
  trainer.setDataset(mnist(data));
  const initial = await trainer.getWeights();
  const reference = tfjsBlock();
  for (const name of ['stem', 'conv_a', 'conv_b', 'dense']) {
    const ws = initial.filter((w) => w.name.startsWith(`${name}/`));
    reference.getLayer(name).setWeights(ws.map((w) => tf.tensor(w.data, w.shape)));
  }
  reference.compile({ optimizer: tfOptimizer, loss: 'sparseCategoricalCrossentropy' });
  const ours = await trainer.trainOnBatch(data.images, data.labels, BATCH);
  const x = tf.tensor4d(
    Float32Array.from(data.images, (b) => b / 255),
    [BATCH, 28, 28, 1],
  );
  const y = tf.tensor2d(Float32Array.from(data.labels), [BATCH, 1]);
  const theirs = (await reference.trainOnBatch(x, y)) as number;
  tf.dispose([x, y]);
  expect(Math.abs(ours.loss - theirs) / theirs).toBeLessThan(1e-5);
  const after = await trainer.getWeights();
  let moved = 0;
  for (const w of after) {
    const [layer, param] = w.name.split('/');
    const t = reference.getLayer(layer).getWeights()[param === 'kernel' ? 0 : 1];
    expect(Array.from(t.shape)).toEqual(w.shape);
    const want = t.dataSync();
    const before = initial.find((i) => i.name === w.name)?.data as Float32Array;
    let worst = 0;
    for (let j = 0; j < want.length; j++) {
      worst = Math.max(worst, Math.abs(w.data[j] - want[j]) / (1e-6 + 1e-4 * Math.abs(want[j])));
      moved = Math.max(moved, Math.abs(w.data[j] - before[j]));
    }
    // |ours - tfjs| <= 1e-6 + 1e-4 |tfjs|: float32 sums in another order.
    expect(worst, w.name).toBeLessThanOrEqual(1);
  }
  expect(moved).toBeGreaterThan(1e-4);
  trainer.destroy();
}

describe('a residual block (functional Keras code) on the GPU', () => {
  it('one Adam step equals tfjs-layers with the same weights: loss and all 8 weight arrays', async () => {
    const lr = 1e-3;
    await stepVsTfjs(
      { name: 'adam', learning_rate: lr, epsilon: 1e-7 },
      tf.train.adam(lr, 0.9, 0.999, 1e-7 / Math.sqrt(1 - 0.999)),
    );
  });

  it('one SGD step equals tfjs-layers (gradient magnitudes through the skip connection)', async () => {
    await stepVsTfjs({ name: 'sgd', learning_rate: 0.1 }, tf.train.sgd(0.1));
  });

  it('learns real MNIST digits: 1,200 training samples, 3 epochs, held-out accuracy', async () => {
    const config: TrainingConfig = {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learning_rate: 0.004 },
      batch_size: 32,
      validation_split: 0,
    };
    const t = await Trainer.create(ctx, built(), config, { seed: 1 });
    t.setDataset(mnist(mnistSubset(1200), mnistSubset(400, 0, 't10k')));
    const before = await t.evaluate('test');
    const h = await t.fit({ epochs: 3 });
    const after = await t.evaluate('test');
    console.log(
      `residual block on MNIST: test accuracy ${before.accuracy.toFixed(3)} -> ${after.accuracy.toFixed(3)}, ` +
        `epoch losses ${h.epochs.map((e) => e.loss.toFixed(3)).join(' ')}`,
    );
    expect(before.accuracy).toBeLessThan(0.3);
    expect(h.epochs[2].loss).toBeLessThan(h.epochs[0].loss);
    // 0.89 here (seeded; chance is 0.1).
    expect(after.accuracy).toBeGreaterThan(0.85);
    t.destroy();
  });
});
