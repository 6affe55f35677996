import { describe, it } from 'vitest';
import { KERNEL_FAMILIES } from '../../src/gpu/family';
import { Conv2D } from '../../src/model/factories';
import { checkLayer } from './harness';

// ResNet's downsampling convs: 3x3 and 1x1 with stride 2 on inputs whose sides the stride divides. The direct
// family orders dX's rows by (iy % SH, ix % SW) there and skips the taps that fall between strides, so these
// cases check that ordering (and the stores that undo it) against the reference, on both families.
// [filters, kernel, strides, padding, activation, input, batch]
const CASES: [number, number | number[], number | number[], string, string, number[], number][] = [
  [12, 3, 2, 'same', 'relu', [8, 8, 5], 3],
  [10, 1, 2, 'valid', 'linear', [6, 4, 3], 2],
  [20, [2, 3], [3, 2], 'same', 'tanh', [9, 6, 4], 2],
];

for (const family of KERNEL_FAMILIES) {
  describe(`Conv2D with strides that divide the input (${family})`, () => {
    CASES.forEach(([filters, kernel_size, strides, padding, activation, input, batch], seed) => {
      it(`${kernel_size} kernel, strides ${strides}, '${padding}', ${input.join('x')} -> ${filters}`, async () => {
        const layer = Conv2D({ filters, kernel_size, strides, padding, activation });
        await checkLayer({ family, layer, input, batch, seed: 11 + seed });
      });
    });
  });
}
