// Rescaling and Normalization kernels against the float64 reference (one family for every adapter:
// elementwise, see src/ops/rescaling.ts).
import { describe, it } from 'vitest';
import type { Layer } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import type { ParamSpec } from '../../src/model/shapes';
import { affineBackward, affineForward, normalizationAffine } from '../../src/reference/rescaling';
import { expectClose, randomTensor } from './harness';
import { builtLayer, runParamLayer } from './param-harness';

const TOL = 1e-5;

async function check(
  layer: Layer,
  input: number[],
  batch: number,
  scale: number[],
  offset: number[],
  params = {},
) {
  const specs: ParamSpec[] = Object.keys(params).map((name) => ({
    name,
    shape: [input[input.length - 1]],
    initializer: 'zeros',
    trainable: false,
  }));
  const built = builtLayer(layer, input, input, specs);
  const rng = new Rng(input.length * 13 + batch);
  const x = randomTensor([batch, ...input], rng, 0, 255);
  const dY = randomTensor([batch, ...input], rng);
  const run = await runParamLayer({ built, batch, x: x.data, dY: dY.data, params });
  const what = `${layer.className} ${JSON.stringify(input)}`;
  expectClose(`${what} y`, run.y, affineForward(x, scale, offset).data, TOL);
  expectClose(`${what} dX`, run.dX, affineBackward(dY, scale).data, TOL);
}

describe('Rescaling and Normalization on the GPU against the reference', () => {
  it('Rescaling(1/255) and Rescaling(1/127.5, offset=-1) on images and vectors', async () => {
    const rescaling = (scale: number, offset: number): Layer => ({
      className: 'Rescaling',
      config: { name: 'rescaling', scale, offset },
    });
    await check(rescaling(1 / 255, 0), [6, 5, 3], 2, [1 / 255], [0]);
    await check(rescaling(1 / 127.5, -1), [10], 3, [1 / 127.5], [-1]);
  });
  it('Normalization with given mean/variance (per channel and scalar) and adapted (weights), zero variance', async () => {
    const norm = (mean: number[] | null, variance: number[] | null): Layer => ({
      className: 'Normalization',
      config: { name: 'normalization', axis: -1, mean, variance },
    });
    const mean = [120, 100, 90];
    const variance = [3600, 2500, 0];
    const a = normalizationAffine(mean, variance);
    await check(norm(mean, variance), [4, 4, 3], 2, a.scale, a.offset);
    const s = normalizationAffine([127], [4096]);
    await check(norm([127], [4096]), [4, 4, 3], 2, s.scale, s.offset);
    await check(norm(null, null), [5, 3], 2, a.scale, a.offset, { mean, variance });
  });
});
