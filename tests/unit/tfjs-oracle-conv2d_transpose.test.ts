import { beforeAll } from 'vitest';
import { conv2dTransposeBackward, conv2dTransposeForward } from '../../src/reference/conv2d_transpose';
import { type ConvCase, describeConvOracle, tf, useCpuBackend } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

const cases: ConvCase[] = [
  { x: [2, 4, 4, 3], k: [3, 3, 5, 3], stride: 2, padding: 'same' },
  { x: [1, 3, 5, 2], k: [3, 3, 4, 2], stride: 2, padding: 'valid' },
  { x: [2, 4, 3, 2], k: [4, 4, 3, 2], stride: 2, padding: 'same' },
  { x: [1, 5, 5, 3], k: [3, 3, 2, 3], stride: 1, padding: 'same' },
];

describeConvOracle('conv2d_transpose', cases, {
  seedMul: 19,
  biasLength: (k) => k[2],
  forward: conv2dTransposeForward,
  backward: conv2dTransposeBackward,
  // tf.conv2dTranspose takes the output shape: the reference's height and width, the kernel's filters.
  tfOp: (xt, kt, c, y) =>
    tf.conv2dTranspose(xt, kt, [c.x[0], y.shape[1], y.shape[2], c.k[2]], c.stride, c.padding),
});
