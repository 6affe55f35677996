import { describe, expect, it } from 'vitest';
import { Dropout } from '../../src/model/factories';
import { dropoutSeed } from '../../src/ops/dropout';
import { checkLayer } from './harness';

// Tolerance: 1e-6 * (1 + max|ref|): one multiply per element; the mask itself must match bit for bit, which
// any mismatch would break by a whole element value.
const TOL = 1e-6;

describe('Dropout on the GPU against the reference mask', () => {
  it('rate 0.5 at several steps, seeds and layer indices', async () => {
    for (const [step, runSeed, layerIndex] of [
      [0, 42, 6],
      [17, 42, 6],
      [3, 0xfffffff0, 1],
    ]) {
      const run = await checkLayer({
        layer: Dropout({ rate: 0.5 }),
        input: [120],
        batch: 64,
        step,
        runSeed,
        layerIndex,
        tol: TOL,
      });
      const dropped = run.y.filter((v) => v === 0).length / run.y.length;
      expect(dropped).toBeGreaterThan(0.4);
      expect(dropped).toBeLessThan(0.6);
    }
  });
  it('odd rate and image-shaped input', async () => {
    await checkLayer({ layer: Dropout({ rate: 0.3 }), input: [5, 7, 3], batch: 3, step: 5, tol: TOL });
  });
  it('is the identity at inference', async () => {
    await checkLayer({ layer: Dropout({ rate: 0.5 }), input: [33], batch: 2, inference: true, tol: TOL });
  });
  it('dropoutSeed wraps in u32', () => {
    expect(dropoutSeed(1, 1, 1)).toBe((1 + 0x9e3779b9 + 0x85ebca6b) % 2 ** 32);
    expect(dropoutSeed(0xffffffff, 0, 0)).toBe(0xffffffff);
  });
});
