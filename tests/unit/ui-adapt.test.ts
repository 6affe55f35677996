import { describe, expect, it } from 'vitest';
import { adaptImage } from '../../src/worker/adapt';

describe('adaptImage (predictions without a dataset on the GPU)', () => {
  it('pads a 2x2 image into 4x4, centred with zeros', () => {
    const out = adaptImage(new Uint8Array([1, 2, 3, 4]), 2, 2, 1, 4, 4, 1, 'pad');
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  });

  it('resizes bilinearly with half-pixel centres (a constant stays constant, a ramp stays monotonic)', () => {
    const flat = adaptImage(new Uint8Array(9).fill(7), 3, 3, 1, 5, 5, 1, 'resize');
    expect(Array.from(flat).every((v) => v === 7)).toBe(true);
    const ramp = adaptImage(new Uint8Array([0, 100, 200, 0, 100, 200]), 2, 3, 1, 2, 6, 1, 'resize');
    const row = Array.from(ramp.slice(0, 6));
    expect(row[0]).toBe(0);
    expect(row[5]).toBe(200);
    for (let i = 1; i < 6; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]);
  });

  it("converts RGB to the model's gray channel with luma weights", () => {
    const out = adaptImage(new Uint8Array([255, 0, 0]), 1, 1, 3, 1, 1, 1, 'pad');
    expect(out[0]).toBe(76);
  });
});
