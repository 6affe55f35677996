// The Keras initializers by their statistics: VarianceScaling's variance scale / fan for each named one
// (uniform in +-sqrt(3 var), or a truncated normal rescaled to std sqrt(var)), and the constant ones.
import { describe, expect, it } from 'vitest';
import { fans, type InitializerName, initialize } from '../../src/model/initializers';
import { Rng } from '../../src/model/random';

const SHAPE = [5, 5, 16, 48]; // fan_in 400, fan_out 1200, 19,200 values

function stats(v: Float32Array) {
  let sum = 0;
  let sq = 0;
  let max = 0;
  for (const x of v) {
    sum += x;
    sq += x * x;
    max = Math.max(max, Math.abs(x));
  }
  return { mean: sum / v.length, std: Math.sqrt(sq / v.length - (sum / v.length) ** 2), max };
}

describe('initializers', () => {
  const [fanIn, fanOut] = fans(SHAPE);
  it('computes fans from the receptive field as Keras does', () => {
    expect([fanIn, fanOut]).toEqual([400, 1200]);
    expect(fans([30, 10])).toEqual([30, 10]);
  });

  const cases: [InitializerName, number][] = [
    ['glorot_uniform', 2 / (fanIn + fanOut)],
    ['glorot_normal', 2 / (fanIn + fanOut)],
    ['he_uniform', 2 / fanIn],
    ['he_normal', 2 / fanIn],
    ['lecun_uniform', 1 / fanIn],
    ['lecun_normal', 1 / fanIn],
  ];
  for (const [name, variance] of cases) {
    it(`${name} has variance ${variance.toPrecision(3)} and the right bound`, () => {
      const s = stats(initialize(name, SHAPE, new Rng(7)));
      expect(Math.abs(s.mean)).toBeLessThan(0.05 * Math.sqrt(variance));
      expect(s.std / Math.sqrt(variance)).toBeGreaterThan(0.97);
      expect(s.std / Math.sqrt(variance)).toBeLessThan(1.03);
      // Uniform: bounded by sqrt(3 var); truncated normal: by two of its pre-rescaling stds.
      const bound = name.endsWith('uniform') ? Math.sqrt(3 * variance) : (2 * Math.sqrt(variance)) / 0.8796;
      expect(s.max).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(s.max).toBeGreaterThan(0.9 * bound);
    });
  }

  it('gives zeros, ones and the 0.05-scale random ones', () => {
    expect(stats(initialize('zeros', [4, 3], new Rng(1))).max).toBe(0);
    expect([...initialize('ones', [4, 3], new Rng(1))]).toEqual(new Array(12).fill(1));
    const n = stats(initialize('random_normal', SHAPE, new Rng(3)));
    expect(n.std).toBeGreaterThan(0.048);
    expect(n.std).toBeLessThan(0.052);
    const u = stats(initialize('random_uniform', SHAPE, new Rng(3)));
    expect(u.max).toBeLessThanOrEqual(0.05);
    expect(u.std).toBeCloseTo(0.05 / Math.sqrt(3), 3);
  });
});
