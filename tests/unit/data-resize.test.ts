import { describe, expect, it } from 'vitest';
import { decodePng } from '../../src/data/png-decoder';
import { convertImage } from '../../src/data/resize';
import type { DecodedImage } from '../../src/data/types';
import { encodePng } from '../fixtures/png-encode';

function rgbaOf(
  w: number,
  h: number,
  f: (x: number, y: number) => [number, number, number, number?],
): DecodedImage {
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b, a = 255] = f(x, y);
      rgba.set([r, g, b, a], (y * w + x) * 4);
    }
  return { width: w, height: h, rgba };
}

describe('convertImage (resize and colour)', () => {
  it('keeps RGB and drops alpha at the same size', () => {
    const img = rgbaOf(2, 1, (x) => [10 + x, 20, 30, 0]);
    expect(Array.from(convertImage(img, 1, 2, 3))).toEqual([10, 20, 30, 11, 20, 30]);
  });

  it('shrinks by averaging the covered area (2x: the 2x2 block means)', () => {
    const img = rgbaOf(4, 2, (x, y) => [x * 40 + y * 10, 0, 0]);
    // Blocks: x 0-1 -> (0+40+10+50)/4 = 25; x 2-3 -> (80+120+90+130)/4 = 105.
    expect(Array.from(convertImage(img, 1, 2, 3))).toEqual([25, 0, 0, 105, 0, 0]);
  });

  it('shrinks by a non-integer factor with fractional overlaps', () => {
    // 3 -> 2: output 0 covers [0, 1.5): 2/3 of pixel 0 and 1/3 of pixel 1.
    const img = rgbaOf(3, 1, (x) => [[0, 90, 180][x], 0, 0]);
    expect(Array.from(convertImage(img, 1, 2, 1)).length).toBe(2);
    const out = convertImage(img, 1, 2, 3);
    expect([out[0], out[3]]).toEqual([Math.round(90 / 3), Math.round((90 + 2 * 180) / 3)]);
  });

  it('enlarges bilinearly with pixel centres aligned', () => {
    const img = rgbaOf(2, 1, (x) => [x * 100, 0, 0]);
    // Output x=0..3 centres map to source -0.25, 0.25, 0.75, 1.25 (clamped): 0, 25, 75, 100.
    const out = convertImage(img, 1, 4, 3);
    expect([out[0], out[3], out[6], out[9]]).toEqual([0, 25, 75, 100]);
  });

  it('keeps a constant image constant at any size', () => {
    const img = rgbaOf(7, 5, () => [37, 111, 250]);
    for (const [h, w] of [
      [3, 3],
      [11, 13],
      [5, 2],
    ]) {
      const out = convertImage(img, h, w, 3);
      for (let i = 0; i < out.length; i += 3)
        expect([out[i], out[i + 1], out[i + 2]]).toEqual([37, 111, 250]);
    }
  });

  it('converts to gray with 0.299 R + 0.587 G + 0.114 B', () => {
    const img = rgbaOf(1, 1, () => [200, 100, 50]);
    expect(convertImage(img, 1, 1, 1)[0]).toBe(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50));
  });
});

describe('decodePng (the Node decoder)', () => {
  it('decodes gray, RGB and RGBA PNGs to RGBA', async () => {
    const px = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 29) % 256);
    const rgba = await decodePng(encodePng(3, 2, 4, px));
    expect([rgba.width, rgba.height]).toEqual([3, 2]);
    expect(Array.from(rgba.rgba)).toEqual(Array.from(px));
    const rgb = await decodePng(encodePng(3, 2, 3, px.subarray(0, 18)));
    expect(Array.from(rgb.rgba.subarray(4, 8))).toEqual([px[3], px[4], px[5], 255]);
    const gray = await decodePng(encodePng(3, 2, 1, px.subarray(0, 6)));
    expect(Array.from(gray.rgba.subarray(20, 24))).toEqual([px[5], px[5], px[5], 255]);
  });

  it('rejects what is not a PNG', async () => {
    await expect(decodePng(new Uint8Array([1, 2, 3]), 'x.png')).rejects.toThrow(/x\.png is not a PNG file/);
  });
});
