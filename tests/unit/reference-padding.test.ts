import { describe, expect, it } from 'vitest';
import { axisPadding, samePadding, validPadding } from '../../src/reference/padding';

describe('padding reference (TF/Keras rule)', () => {
  it("'same' worked by hand: out = ceil(in/s), odd padding goes after", () => {
    expect(samePadding(28, 5, 1)).toEqual({ out: 28, before: 2, after: 2 });
    expect(samePadding(7, 3, 2)).toEqual({ out: 4, before: 1, after: 1 });
    expect(samePadding(6, 3, 2)).toEqual({ out: 3, before: 0, after: 1 });
    expect(samePadding(6, 4, 2)).toEqual({ out: 3, before: 1, after: 1 });
    expect(samePadding(5, 2, 1)).toEqual({ out: 5, before: 0, after: 1 });
    // Stride larger than the kernel: no padding needed at all.
    expect(samePadding(8, 1, 3)).toEqual({ out: 3, before: 0, after: 0 });
    expect(samePadding(3, 2, 2)).toEqual({ out: 2, before: 0, after: 1 });
  });

  it("'valid' worked by hand: out = floor((in - k)/s) + 1", () => {
    expect(validPadding(32, 5, 1).out).toBe(28); // LeNet C1
    expect(validPadding(14, 5, 1).out).toBe(10); // LeNet C3
    expect(validPadding(28, 2, 2).out).toBe(14); // LeNet S2
    expect(validPadding(7, 2, 2).out).toBe(3);
    expect(validPadding(7, 3, 2).out).toBe(3);
  });

  it('rejects kernels larger than a valid input and bad sizes', () => {
    expect(() => axisPadding(4, 5, 1, 'valid')).toThrow(/larger/);
    expect(axisPadding(4, 5, 1, 'same')).toEqual({ out: 4, before: 2, after: 2 });
    expect(() => axisPadding(4, 0, 1, 'same')).toThrow();
  });
});
