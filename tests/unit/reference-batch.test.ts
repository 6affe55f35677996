import { describe, expect, it } from 'vitest';
import { type GatherBatchOptions, gatherBatch } from '../../src/reference/batch';

const base = { channels: 1, normalization: { kind: 'scale255' } } as const;

/** Images whose pixel value encodes (image, row, column): easy to trace where each output came from. */
function traceable(n: number, h: number, w: number): Uint8Array {
  const out = new Uint8Array(n * h * w);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out[(i * h + y) * w + x] = 1 + i * 100 + y * 10 + x;
  return out;
}

/** The one image `index` of grey `images` (scaled by 255), from src [h, w] to dst [h, w] by `mode`. */
const gatherOne = (
  images: Uint8Array,
  index: number,
  [srcH, srcW]: [number, number],
  [dstH, dstW]: [number, number],
  mode: GatherBatchOptions['mode'],
) => gatherBatch(images, new Int32Array([index]), { ...base, srcH, srcW, dstH, dstW, mode });

describe('gatherBatch reference', () => {
  it("'pad' centres 28x28 in 32x32 with 2 zero rows/columns on each side, gathering by index", () => {
    const images = new Uint8Array(3 * 28 * 28).map((_, i) => (i % 254) + 1); // never 0
    const opts: GatherBatchOptions = { ...base, srcH: 28, srcW: 28, dstH: 32, dstW: 32, mode: 'pad' };
    const t = gatherBatch(images, new Int32Array([2, 0]), opts);
    expect(t.shape).toEqual([2, 32, 32, 1]);
    for (let b = 0; b < 2; b++) {
      const src = [2, 0][b];
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const v = t.data[(b * 32 + y) * 32 + x];
          const inside = y >= 2 && y < 30 && x >= 2 && x < 30;
          expect(v).toBeCloseTo(inside ? images[src * 784 + (y - 2) * 28 + (x - 2)] / 255 : 0, 14);
        }
      }
    }
  });

  it("'pad' puts the odd row/column after and crops the centre when the destination is smaller", () => {
    const img = traceable(1, 3, 4);
    // 3x4 -> 4x7: rows pad 0 before, 1 after; columns 1 before, 2 after.
    const up = gatherOne(img, 0, [3, 4], [4, 7], 'pad');
    const raw = [...up.data].map((v) => Math.round(v * 255));
    expect(raw.slice(0, 7)).toEqual([0, 1, 2, 3, 4, 0, 0]);
    expect(raw.slice(21, 28)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // 3x4 -> 1x1: crop 1 row before, 1 after; columns 1 before, 2 after -> pixel (1, 1).
    const down = gatherOne(img, 0, [3, 4], [1, 1], 'pad');
    expect(Math.round(down.data[0] * 255)).toBe(1 + 10 + 1);
  });

  it('meanstd normalises per channel; padded cells are a normalised black pixel', () => {
    const img = new Uint8Array([255, 0, 51, 102]); // one 1x2 image, 2 channels
    const t = gatherBatch(img, new Int32Array([0]), {
      srcH: 1,
      srcW: 2,
      channels: 2,
      dstH: 1,
      dstW: 4,
      mode: 'pad',
      normalization: { kind: 'meanstd', mean: [0.5, 0.25], std: [0.5, 0.25] },
    });
    const pad = [(0 - 0.5) / 0.5, (0 - 0.25) / 0.25];
    const want = [...pad, (1 - 0.5) / 0.5, (0 - 0.25) / 0.25, (0.2 - 0.5) / 0.5, (0.4 - 0.25) / 0.25, ...pad];
    t.data.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i], 14);
    });
  });

  it("'resize' is bilinear with half-pixel centres (worked 1x2 -> 1x4 and identity)", () => {
    const img = new Uint8Array([0, 200]);
    const t = gatherOne(img, 0, [1, 2], [1, 4], 'resize');
    // Source positions -0.25, 0.25, 0.75, 1.25: clamped, 1/4, 3/4, clamped.
    expect([...t.data].map((v) => v * 255)).toEqual([0, 50, 150, 200].map((v) => expect.closeTo(v, 10)));
    const src = traceable(2, 5, 3);
    const same = gatherOne(src, 1, [5, 3], [5, 3], 'resize');
    same.data.forEach((v, i) => {
      expect(v * 255).toBeCloseTo(src[15 + i], 10);
    });
  });

  it('rejects out-of-range indices and ragged data', () => {
    const opts: GatherBatchOptions = { ...base, srcH: 2, srcW: 2, dstH: 2, dstW: 2, mode: 'pad' };
    expect(() => gatherBatch(new Uint8Array(8), new Int32Array([2]), opts)).toThrow(/index 2/);
    expect(() => gatherBatch(new Uint8Array(7), new Int32Array([0]), opts)).toThrow(/whole number/);
  });
});
