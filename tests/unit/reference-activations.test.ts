import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES,
  type ActivationName,
  activationBackward,
  activationForward,
  erf,
} from '../../src/reference/activations';
import { type Tensor, tensor } from '../../src/reference/tensor';
import { inputGradientCheck, randomTensor, rng } from './gradcheck';

const t = (values: number[]): Tensor => tensor([values.length], values);
const fwd = (name: ActivationName, values: number[], alpha?: number) => [
  ...activationForward(name, t(values), alpha).data,
];

describe('activation references', () => {
  it('match hand-computed values', () => {
    expect(fwd('linear', [-2, 3])).toEqual([-2, 3]);
    expect(fwd('relu', [-2, 0, 3])).toEqual([0, 0, 3]);
    expect(fwd('relu6', [-1, 3, 7])).toEqual([0, 3, 6]);
    expect(fwd('leaky_relu', [-2, 3])).toEqual([-0.4, 3]); // Keras 3 default alpha 0.2
    expect(fwd('leaky_relu', [-2], 0.3)[0]).toBeCloseTo(-0.6, 15);
    const [s0, s2, sNeg] = fwd('sigmoid', [0, 2, -800]);
    expect(s0).toBe(0.5);
    expect(s2).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(sNeg).toBe(0); // no overflow to NaN
    expect(fwd('tanh', [0.5])[0]).toBeCloseTo(Math.tanh(0.5), 15);
    expect(fwd('elu', [-1, 2])).toEqual([Math.exp(-1) - 1, 2]);
    expect(fwd('elu', [-1], 0.5)[0]).toBeCloseTo(0.5 * (Math.exp(-1) - 1), 15);
    expect(fwd('selu', [1])[0]).toBeCloseTo(1.0507009873554805, 15);
    expect(fwd('selu', [-1])[0]).toBeCloseTo(
      1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1),
      14,
    );
    expect(fwd('softplus', [0])[0]).toBeCloseTo(Math.LN2, 15);
    expect(fwd('softplus', [1000])[0]).toBe(1000);
    expect(fwd('swish', [1])[0]).toBeCloseTo(0.7310585786300049, 15);
    // Phi(1) = 0.8413447460685429 (standard normal table), so gelu(1) = Phi(1).
    expect(fwd('gelu', [1])[0]).toBeCloseTo(0.8413447460685429, 14);
    const sm = fwd('softmax', [1, 2, 3]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const z = e[0] + e[1] + e[2];
    sm.forEach((v, i) => {
      expect(v).toBeCloseTo(e[i] / z, 15);
    });
    // Softmax is stable for huge logits.
    expect(fwd('softmax', [1000, 1000])).toEqual([0.5, 0.5]);
  });

  it('erf matches tabulated values', () => {
    // Abramowitz & Stegun table 7.1.
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(erf(-3)).toBeCloseTo(-0.9999779095030014, 15);
    expect(erf(10)).toBe(1);
  });

  it('softmax runs over the last axis of a 3-D tensor', () => {
    const x = randomTensor([2, 3, 4], rng(5), -3, 3);
    const y = activationForward('softmax', x);
    for (let r = 0; r < 6; r++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += y.data[r * 4 + j];
      expect(s).toBeCloseTo(1, 14);
    }
  });

  it('kink derivatives follow TensorFlow', () => {
    const x = t([0, 6, -1]);
    const one = t([1, 1, 1]);
    const d = (name: ActivationName, alpha?: number) => [
      ...activationBackward(name, x, activationForward(name, x, alpha), one, alpha).data,
    ];
    expect(d('relu')).toEqual([0, 1, 0]);
    expect(d('relu6')).toEqual([0, 0, 0]);
    expect(d('leaky_relu')).toEqual([0.2, 1, 0.2]);
  });

  const variants: { name: ActivationName; alpha?: number }[] = [
    ...ACTIVATION_NAMES.map((name) => ({ name })),
    { name: 'elu', alpha: 0.5 },
    { name: 'leaky_relu', alpha: 0.3 },
  ];
  for (const { name, alpha } of variants) {
    it(`${name}${alpha === undefined ? '' : ` (alpha ${alpha})`}: gradient matches finite differences`, () => {
      const rand = rng(name.length * 97 + (alpha ?? 0) * 10);
      // [-4, 8) covers both saturations of tanh/sigmoid and both kinks of relu6; entries within 1e-3 of a
      // kink (0 or 6) are moved off it, where the derivative is undefined.
      const x = randomTensor([3, 7], rand, -4, 8);
      for (let i = 0; i < x.data.length; i++) {
        if (Math.abs(x.data[i]) < 1e-3 || Math.abs(x.data[i] - 6) < 1e-3) x.data[i] += 0.01;
      }
      const y = activationForward(name, x, alpha);
      const R = randomTensor(y.shape, rand);
      const dX = activationBackward(name, x, y, R, alpha);
      const r = inputGradientCheck(x, R, (t) => activationForward(name, t, alpha), dX, {
        rtol: 1e-6,
        atol: 1e-9,
      });
      expect(r.failures).toEqual([]);
      expect(r.checked).toBe(21);
    });
  }
});
