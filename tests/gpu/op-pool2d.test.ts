import { describe, expect, it } from 'vitest';
import { AveragePooling2D, MaxPooling2D } from '../../src/model/factories';
import { checkLayer } from './harness';

// Tolerance: max abs error <= 1e-5 * (1 + max |reference|); pooling does at most a few adds per element.
const TOL = 1e-5;
const both = [MaxPooling2D, AveragePooling2D];

describe('MaxPooling2D and AveragePooling2D on the GPU against the reference', () => {
  it('LeNet pools (2x2 over 28x28x6 and 10x10x16), batch 4', async () => {
    for (const pool of both) {
      await checkLayer({ layer: pool({ pool_size: 2 }), input: [28, 28, 6], batch: 4, tol: TOL });
      await checkLayer({ layer: pool({ pool_size: 2 }), input: [10, 10, 16], batch: 4, tol: TOL });
    }
  });
  it("odd sizes, overlapping 3x3 stride 2 windows, 'same' padding, batch 1, 3 channels", async () => {
    for (const pool of both) {
      for (const padding of ['valid', 'same']) {
        await checkLayer({
          layer: pool({ pool_size: 3, strides: 2, padding }),
          input: [7, 9, 3],
          batch: 1,
          tol: TOL,
        });
      }
      await checkLayer({
        layer: pool({ pool_size: [2, 3], strides: [1, 2], padding: 'same' }),
        input: [5, 6, 5],
        batch: 2,
        tol: TOL,
      });
    }
  });
  it('max ties send the gradient to the first cell only', async () => {
    // A 1-channel input of all-equal values: every window ties.
    const run = await checkLayer({
      layer: MaxPooling2D({ pool_size: 2 }),
      input: [4, 4, 1],
      batch: 1,
      tol: TOL,
      constant: 0.5,
    });
    const nonZero = [...(run.dX ?? [])].filter((v) => v !== 0).length;
    expect(nonZero).toBe(4);
  });
  it('first layer: no dX dispatch', async () => {
    await checkLayer({
      layer: MaxPooling2D({ pool_size: 2 }),
      input: [4, 6, 2],
      batch: 2,
      first: true,
      tol: TOL,
    });
  });
});

describe('pooling windows that tile the input (scatter backward)', () => {
  it("2x2 / 3x3 strides equal to the pool, 'same' padding that still tiles", async () => {
    for (const pool of both) {
      await checkLayer({ layer: pool({ pool_size: 3 }), input: [9, 6, 5], batch: 2, tol: TOL });
      await checkLayer({
        layer: pool({ pool_size: 2, padding: 'same' }),
        input: [8, 4, 3],
        batch: 1,
        tol: TOL,
      });
      // Leftover rows (7 = 3*2 + 1) fall back to the gather and must get a zero gradient.
      await checkLayer({ layer: pool({ pool_size: 2 }), input: [7, 7, 2], batch: 1, tol: TOL });
    }
  });
});
