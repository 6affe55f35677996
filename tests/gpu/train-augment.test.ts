// Augmentation layers in whole training runs: a small model whose head is RandomFlip + RandomRotation +
// RandomCrop learns real MNIST digits (the gather augments in training and resizes RandomCrop's input at
// evaluation), and an augmentation layer that is not at the head is refused with the fix.
import { beforeAll, expect, it } from 'vitest';
import { createContext, type GpuContext } from '../../src/gpu/context';
import { importKerasCode } from '../../src/keras';
import { Trainer } from '../../src/train';
import { nodeGpu } from '../helpers/node-gpu';
import { fitLogged } from './fit-logged';
import { mnistDataset, mnistSubset, trainingConfig } from './train-data';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = createContext((await nodeGpu()).device);
});

const model = (head: string, tail = '') => `
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    ${head}
    layers.Flatten(),
    layers.Dense(32, activation="relu"),${tail}
    layers.Dense(10, activation="softmax"),
])
`;

it('an MLP behind RandomFlip, RandomRotation and RandomCrop learns 480 MNIST digits in 4 epochs', async () => {
  const { built } = importKerasCode(
    model(`layers.RandomFlip("horizontal"), layers.RandomRotation(0.05), layers.RandomCrop(26, 26),
    layers.Rescaling(2.0, offset=-1.0),`),
  );
  const trainer = await Trainer.create(
    ctx,
    built,
    trainingConfig({ name: 'adam', learning_rate: 0.005 }, 32),
    {
      seed: 3,
    },
  );
  trainer.setDataset(mnistDataset(mnistSubset(480, 2000), { val: null, test: mnistSubset(200, 0, 't10k') }));
  const { losses, test } = await fitLogged(trainer, 'augmented MLP, 480 samples', 4);
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(losses[3]).toBeLessThan(losses[0] * 0.8);
  // Chance is 0.1; mirrored digits are harder than plain ones, so the bar is modest (measured: 0.535 at seed 3).
  expect(test.accuracy).toBeGreaterThan(0.35);
  trainer.destroy();
}, 120_000);

it('refuses an augmentation layer after a Dense, naming it and the fix', async () => {
  const { built } = importKerasCode(
    model('', '\n    layers.Reshape((4, 8, 1)),\n    layers.RandomFlip(),\n    layers.Flatten(),'),
  );
  await expect(
    Trainer.create(ctx, built, trainingConfig({ name: 'adam', learning_rate: 0.005 }, 32), { seed: 3 }),
  ).rejects.toThrow(
    /random_flip \(RandomFlip\) comes after reshape.*move random_flip up to follow the Input/,
  );
});
