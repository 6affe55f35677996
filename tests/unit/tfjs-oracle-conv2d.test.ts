import { beforeAll } from 'vitest';
import { conv2dBackward, conv2dForward } from '../../src/reference/conv2d';
import { type ConvCase, describeConvOracle, tf, useCpuBackend } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

const cases: ConvCase[] = [
  { x: [2, 7, 5, 3], k: [3, 3, 3, 5], stride: 1, padding: 'valid' },
  { x: [2, 7, 5, 3], k: [3, 3, 3, 5], stride: 1, padding: 'same' },
  { x: [1, 7, 5, 3], k: [3, 3, 3, 2], stride: 2, padding: 'valid' },
  { x: [1, 7, 5, 3], k: [3, 3, 3, 2], stride: 2, padding: 'same' },
  { x: [2, 8, 6, 5], k: [4, 4, 5, 3], stride: 2, padding: 'same' }, // even kernel: asymmetric padding
  { x: [1, 9, 9, 1], k: [5, 5, 1, 6], stride: 2, padding: 'same' }, // kernel > stride, LeNet-like
  { x: [2, 4, 3, 5], k: [1, 1, 5, 3], stride: 1, padding: 'valid' },
];

describeConvOracle('conv2d', cases, {
  seedMul: 13,
  biasLength: (k) => k[3],
  forward: conv2dForward,
  backward: conv2dBackward,
  tfOp: (xt, kt, c) => tf.conv2d(xt, kt, c.stride, c.padding),
});
