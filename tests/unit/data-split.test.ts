import { describe, expect, it } from 'vitest';
import { splitValidation } from '../../src/data/split';
import type { ImageSet } from '../../src/data/types';

/** n images of 2 bytes each; image i holds [i & 255, i >> 8] so we can tell where each one went. */
function setOf(labels: number[]): ImageSet {
  const images = new Uint8Array(labels.length * 2);
  labels.forEach((_, i) => {
    images[2 * i] = i & 255;
    images[2 * i + 1] = i >> 8;
  });
  return { images, labels: Int32Array.from(labels), count: labels.length };
}

const ids = (s: ImageSet) =>
  Array.from({ length: s.count }, (_, i) => s.images[2 * i] + 256 * s.images[2 * i + 1]);

describe('splitValidation', () => {
  // 3 classes of 50, 30 and 20 images, interleaved.
  const labels = Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2));
  const set = setOf(labels);

  it('takes 10% of every class, and every image lands in exactly one part with its label', () => {
    const { train, val } = splitValidation(set);
    expect(val.count).toBe(10);
    expect(train.count).toBe(90);
    const per = (s: ImageSet, c: number) => Array.from(s.labels).filter((l) => l === c).length;
    expect([per(val, 0), per(val, 1), per(val, 2)]).toEqual([5, 3, 2]);
    const all = [...ids(train), ...ids(val)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const s of [train, val]) {
      const got = Array.from(s.labels);
      expect(got).toEqual(ids(s).map((id) => labels[id]));
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = ids(splitValidation(set, 0.2, 7).val);
    const b = ids(splitValidation(set, 0.2, 7).val);
    const c = ids(splitValidation(set, 0.2, 8).val);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(20);
  });

  it('rounds per class by largest remainder so the total is exact', () => {
    // 7 + 7 + 7 images, 10%: shares 0.7 each, total round(2.1) = 2.
    const s = setOf(Array.from({ length: 21 }, (_, i) => i % 3));
    const { train, val } = splitValidation(s, 0.1, 1);
    expect(val.count).toBe(2);
    expect(new Set(Array.from(val.labels)).size).toBe(2);
    expect(train.count).toBe(19);
  });

  it('allows 0 and refuses fractions outside [0, 1)', () => {
    expect(splitValidation(set, 0).val.count).toBe(0);
    expect(() => splitValidation(set, 1)).toThrow(/fraction must be in \[0, 1\)/);
    expect(() => splitValidation(set, -0.1)).toThrow(/fraction/);
  });
});
