import { describe, expect, it } from 'vitest';
import {
  dropoutBackward,
  dropoutForward,
  dropoutMask,
  dropoutUniform,
  pcgHash,
} from '../../src/reference/dropout';
import { tensor } from '../../src/reference/tensor';
import { inputGradientCheck, randomTensor, rng } from './gradcheck';

// The hash spelled out again with BigInt and explicit mod 2^32, independent of Math.imul / >>> tricks.
const M = 1n << 32n;
function pcgBig(v: bigint): bigint {
  const state = (v * 747796405n + 2891336453n) % M;
  const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) % M;
  return (word >> 22n) ^ word;
}

describe('dropout reference', () => {
  it('pcgHash equals the spec computed with BigInt', () => {
    for (const v of [0, 1, 2, 42, 12345, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) {
      expect(pcgHash(v)).toBe(Number(pcgBig(BigInt(v))));
    }
  });

  it('the mask follows u = pcg(index + pcg(seed)), uniform = (u >>> 8) / 2^24, keep iff uniform >= rate', () => {
    const seed = 987654321;
    const rate = 0.3;
    const mask = dropoutMask(64, rate, seed);
    const base = pcgBig(BigInt(seed));
    for (let i = 0; i < 64; i++) {
      const u = pcgBig((BigInt(i) + base) % M);
      const uniform = Number(u >> 8n) / 16777216;
      expect(dropoutUniform(i, seed)).toBe(uniform);
      expect(mask[i]).toBe(uniform >= rate ? 1 : 0);
    }
  });

  it('keeps about 1 - rate of the elements, differs between seeds, keeps all at rate 0', () => {
    const a = dropoutMask(20000, 0.5, 1);
    const b = dropoutMask(20000, 0.5, 2);
    const kept = a.reduce((s, v) => s + v, 0);
    expect(kept / 20000).toBeGreaterThan(0.48);
    expect(kept / 20000).toBeLessThan(0.52);
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same / a.length).toBeGreaterThan(0.45);
    expect(same / a.length).toBeLessThan(0.55);
    const k = dropoutMask(5000, 0.2, 3).reduce((s, v) => s + v, 0) / 5000;
    expect(Math.abs(k - 0.8)).toBeLessThan(0.03);
    expect(dropoutMask(100, 0, 9).every((v) => v === 1)).toBe(true);
    expect(() => dropoutMask(10, 1, 0)).toThrow(/rate/);
  });

  it('scales kept elements by 1 / (1 - rate) and zeroes the rest', () => {
    const x = tensor([2, 2], [1, 2, 3, 4]);
    const y = dropoutForward(x, new Uint8Array([1, 0, 0, 1]), 0.5);
    expect([...y.data]).toEqual([2, 0, 0, 8]);
  });

  it('backward matches finite differences', () => {
    const rand = rng(4);
    const x = randomTensor([3, 5], rand);
    const rate = 0.4;
    const mask = dropoutMask(15, rate, 77);
    const R = randomTensor([3, 5], rand);
    const dX = dropoutBackward(R, mask, rate);
    const r = inputGradientCheck(x, R, (t) => dropoutForward(t, mask, rate), dX);
    expect(r.failures).toEqual([]);
    expect(r.checked).toBe(15);
  });
});
