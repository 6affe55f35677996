import { describe, it } from 'vitest';
import { GlobalAveragePooling2D, ZeroPadding2D } from '../../src/model/factories';
import { checkLayer } from './harness';

// Tolerance: 1e-6 * (1 + max|ref|) for padding (copies); 1e-5 for the global mean (sums of H*W values).
describe('ZeroPadding2D and GlobalAveragePooling2D on the GPU against the reference', () => {
  it('symmetric and asymmetric padding, odd sizes, batch 1', async () => {
    await checkLayer({ layer: ZeroPadding2D({ padding: 2 }), input: [28, 28, 1], batch: 2, tol: 1e-6 });
    await checkLayer({
      layer: ZeroPadding2D({
        padding: [
          [0, 2],
          [3, 1],
        ],
      }),
      input: [5, 7, 3],
      batch: 1,
      tol: 1e-6,
    });
  });
  it('global average pooling, channels not divisible by 4', async () => {
    await checkLayer({ layer: GlobalAveragePooling2D(), input: [7, 5, 13], batch: 3, tol: 1e-5 });
    await checkLayer({ layer: GlobalAveragePooling2D(), input: [1, 1, 4], batch: 1, tol: 1e-5, first: true });
  });
});
