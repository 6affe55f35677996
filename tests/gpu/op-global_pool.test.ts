// GlobalAveragePooling2D / GlobalMaxPooling2D kernels against the float64 reference (one family for every
// adapter: no workgroup memory or barriers, see src/ops/global_pool.ts).
import { describe, expect, it } from 'vitest';
import type { Layer } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import { globalPoolBackward, globalPoolForward } from '../../src/reference/global_pool';
import { expectClose, randomTensor } from './harness';
import { builtLayer, runParamLayer } from './param-harness';

const TOL = 1e-5;

async function check(mode: 'avg' | 'max', input: number[], batch: number, constant?: number) {
  const className = mode === 'max' ? 'GlobalMaxPooling2D' : 'GlobalAveragePooling2D';
  const layer = { className, config: { name: 'pool' } } as Layer;
  const built = builtLayer(layer, input, [input[2]], []);
  const rng = new Rng(input.reduce((a, b) => a * 7 + b, batch));
  const x = randomTensor([batch, ...input], rng);
  if (constant !== undefined) x.data.fill(constant);
  const dY = randomTensor([batch, input[2]], rng);
  const run = await runParamLayer({ built, batch, x: x.data, dY: dY.data, params: {} });
  const what = `${className} ${JSON.stringify(input)} batch ${batch}`;
  expectClose(`${what} y`, run.y, globalPoolForward(x, mode).data, TOL);
  expectClose(`${what} dX`, run.dX, globalPoolBackward(x, dY, mode).data, TOL);
  return run;
}

describe('global pooling on the GPU against the reference', () => {
  for (const mode of ['avg', 'max'] as const) {
    it(`${mode}: 8x8x16 batch 4, 7x5x3 batch 1, 1x1x10 batch 2`, async () => {
      await check(mode, [8, 8, 16], 4);
      await check(mode, [7, 5, 3], 1);
      await check(mode, [1, 1, 10], 2);
    });
  }
  it('max ties (a constant input) split dY evenly over the H*W cells', async () => {
    const run = await check('max', [3, 3, 2], 2, 0.25);
    const dX = run.dX as Float32Array;
    expect(dX.every((v) => v !== 0)).toBe(true);
  });
});
