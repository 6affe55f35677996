import { beforeAll } from 'vitest';
import { depthwiseConv2dBackward, depthwiseConv2dForward } from '../../src/reference/depthwise_conv2d';
import { type ConvCase, describeConvOracle, tf, useCpuBackend } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

const cases: ConvCase[] = [
  { x: [2, 7, 5, 3], k: [3, 3, 3, 1], stride: 1, padding: 'same' },
  { x: [2, 7, 5, 3], k: [3, 3, 3, 2], stride: 1, padding: 'valid' },
  { x: [1, 8, 8, 4], k: [3, 3, 4, 1], stride: 2, padding: 'same' }, // MobileNet's strided block
  { x: [1, 9, 7, 2], k: [4, 4, 2, 3], stride: 2, padding: 'same' }, // even kernel: asymmetric padding
];

describeConvOracle('depthwise_conv2d', cases, {
  seedMul: 17,
  biasLength: (k) => k[2] * k[3],
  forward: depthwiseConv2dForward,
  backward: depthwiseConv2dBackward,
  tfOp: (xt, kt, c) => tf.depthwiseConv2d(xt, kt, c.stride, c.padding),
});
