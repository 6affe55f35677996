import { describe, it } from 'vitest';
import { KERNEL_FAMILIES } from '../../src/gpu/family';
import { Conv2D } from '../../src/model/factories';
import { checkLayer } from './harness';

// ResNet's downsampling convs: 3x3 and 1x1 with stride 2 on inputs whose sides the stride divides. The direct
// family orders dX's rows by (iy % 2, ix % 2) there and skips the taps that fall between strides, so these
// cases check that ordering (and the stores that undo it) against the reference, on both families.
for (const family of KERNEL_FAMILIES) {
  describe(`Conv2D with strides that divide the input (${family})`, () => {
    it("3x3 stride 2 'same' (8x8x5 -> 4x4x12, batch 3) and 1x1 stride 2 'valid' (6x4x3 -> 3x2x10, batch 2)", async () => {
      await checkLayer({
        family,
        layer: Conv2D({ filters: 12, kernel_size: 3, strides: 2, padding: 'same', activation: 'relu' }),
        input: [8, 8, 5],
        batch: 3,
        seed: 11,
      });
      await checkLayer({
        family,
        layer: Conv2D({ filters: 10, kernel_size: 1, strides: 2 }),
        input: [6, 4, 3],
        batch: 2,
        seed: 12,
      });
    });
    it('stride (3, 2) on 9x6, 4 -> 20 channels, 2x3 kernel', async () => {
      await checkLayer({
        family,
        layer: Conv2D({
          filters: 20,
          kernel_size: [2, 3],
          strides: [3, 2],
          padding: 'same',
          activation: 'tanh',
        }),
        input: [9, 6, 4],
        batch: 2,
        seed: 13,
      });
    });
  });
}
