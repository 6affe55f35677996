// A BatchNorm CNN learns real MNIST digits in Node on SwiftShader, and is evaluated in inference mode: the
// held-out accuracy comes through the moving statistics the training steps accumulated (momentum 0.9 so that
// 60 steps converge them; Keras's 0.99 needs a few hundred), not the batch statistics.
import { expect, it } from 'vitest';
import { createContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { DEFAULT_TRAINING } from '../../src/model/training-config';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { MNIST_CLASSES, mnistSubset } from './train-data';

const CODE = `
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, use_bias=False),
    layers.BatchNormalization(momentum=0.9),
    layers.Activation("relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(16, 3, use_bias=False),
    layers.BatchNormalization(momentum=0.9),
    layers.Activation("relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
`;

it('BatchNorm CNN on 240 MNIST digits, 4 epochs: loss halves, held-out accuracy (moving statistics) above 70%', async () => {
  const ctx = createContext((await nodeGpu()).device);
  const { built } = importKerasCode(CODE);
  const trainer = await Trainer.create(
    ctx,
    built,
    {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learning_rate: 0.004 },
      batch_size: 16,
      validation_split: 0,
    },
    { seed: 5 },
  );
  trainer.setDataset({
    height: 28,
    width: 28,
    channels: 1,
    classNames: MNIST_CLASSES,
    normalization: { kind: 'scale255' },
    train: mnistSubset(240, 1000),
    val: null,
    test: mnistSubset(160, 0, 't10k'),
  });
  const h = await trainer.fit({ epochs: 4 });
  const losses = h.epochs.map((e) => e.loss);
  const test = await trainer.evaluate('test');
  console.log(
    `BatchNorm CNN, 240 samples x 4 epochs: loss ${losses.map((l) => l.toFixed(3)).join(' ')}; ` +
      `held-out accuracy ${test.accuracy.toFixed(3)}`,
  );
  expect(losses[3]).toBeLessThan(losses[0] / 2);
  expect(test.accuracy).toBeGreaterThan(0.7);
  const weights = await trainer.getWeights();
  const variance = weights.find((w) => w.name === 'batch_normalization/moving_variance');
  expect(variance?.data.some((v) => Math.abs(v - 1) > 0.05)).toBe(true);
  trainer.destroy();
}, 300_000);
