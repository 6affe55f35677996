// UpSampling2D (nearest) kernels against the float64 reference (one family for every adapter: copies and block
// sums without workgroup memory or barriers, see src/ops/upsampling2d.ts).
import { describe, it } from 'vitest';
import type { Layer, Pair } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import { upsampling2dBackward, upsampling2dForward } from '../../src/reference/upsampling2d';
import { expectClose, randomTensor } from './harness';
import { builtLayer, runParamLayer } from './param-harness';

const TOL = 1e-5;

async function check(input: number[], size: Pair, batch: number, first = false) {
  const layer: Layer = {
    className: 'UpSampling2D',
    config: { name: 'up_sampling2d', size, interpolation: 'nearest' },
  };
  const [h, w, c] = input;
  const built = builtLayer(layer, input, [h * size[0], w * size[1], c], []);
  const rng = new Rng(h * 100 + w * 10 + size[0] + size[1]);
  const x = randomTensor([batch, ...input], rng);
  const dY = randomTensor([batch, ...built.outputShape], rng);
  const run = await runParamLayer({ built, batch, x: x.data, dY: dY.data, params: {}, first });
  const what = `UpSampling2D ${JSON.stringify(input)} size ${size}`;
  expectClose(`${what} y`, run.y, upsampling2dForward(x, size).data, TOL);
  if (!first) expectClose(`${what} dX`, run.dX, upsampling2dBackward(x, dY, size).data, TOL);
}

describe('UpSampling2D on the GPU against the reference', () => {
  it('size 2 on 8x8x16 batch 2; (2, 3) on 5x3x3; (1, 1); first layer', async () => {
    await check([8, 8, 16], [2, 2], 2);
    await check([5, 3, 3], [2, 3], 3);
    await check([4, 4, 2], [1, 1], 1);
    await check([3, 2, 5], [3, 2], 2, true);
  });
});
