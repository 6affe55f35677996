import { beforeAll, describe, expect, it } from 'vitest';
import { type ActivationName, activationBackward, activationForward } from '../../src/reference/activations';
import { compareArrays, rng } from './gradcheck';
import { F32_TOL, randomF32, tf, toTf, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

// tfjs has no swish or exact gelu op; they are composed from tfjs ops (tfjs's autodiff still differentiates
// them independently of our hand-written derivatives). elu with alpha != 1 is Keras's where(x > 0, x, alpha*elu(x)), written
// relu(x) + alpha*elu(min(x, 0)) because tfjs cannot differentiate through where's condition.
const tfjsOf: { name: ActivationName; alpha?: number; f: (x: tf.Tensor) => tf.Tensor }[] = [
  { name: 'linear', f: (x) => tf.mul(x, 1) },
  { name: 'relu', f: (x) => tf.relu(x) },
  { name: 'sigmoid', f: (x) => tf.sigmoid(x) },
  { name: 'tanh', f: (x) => tf.tanh(x) },
  { name: 'softmax', f: (x) => tf.softmax(x) },
  { name: 'elu', f: (x) => tf.elu(x) },
  { name: 'elu', alpha: 0.5, f: (x) => tf.add(tf.relu(x), tf.mul(0.5, tf.elu(tf.minimum(x, 0)))) },
  { name: 'leaky_relu', f: (x) => tf.leakyRelu(x, 0.2) },
  { name: 'leaky_relu', alpha: 0.3, f: (x) => tf.leakyRelu(x, 0.3) },
  { name: 'relu6', f: (x) => tf.relu6(x) },
  { name: 'selu', f: (x) => tf.selu(x) },
  { name: 'softplus', f: (x) => tf.softplus(x) },
  { name: 'swish', f: (x) => tf.mul(x, tf.sigmoid(x)) },
  { name: 'gelu', f: (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))) },
];

describe('activation references vs TensorFlow.js', () => {
  for (const { name, alpha, f } of tfjsOf) {
    it(`${name}${alpha === undefined ? '' : ` alpha ${alpha}`}: values and gradient`, () => {
      const rand = rng(name.length * 31 + (alpha ?? 0) * 100);
      const x = randomF32([4, 9], rand, -5, 8);
      for (let i = 0; i < x.data.length; i++) {
        // Keep off the kinks, where tfjs and TF may pick different one-sided derivatives.
        if (Math.abs(x.data[i]) < 1e-3 || Math.abs(x.data[i] - 6) < 1e-3)
          x.data[i] = Math.fround(x.data[i] + 0.01);
      }
      const y = activationForward(name, x, alpha);
      const dY = randomF32(y.shape, rand);
      const dX = activationBackward(name, x, y, dY, alpha);
      const xt = toTf(x);
      expect(compareArrays(y.data, values(f(xt)), F32_TOL)).toEqual([]);
      expect(compareArrays(dX.data, values(tf.grad(f)(xt, toTf(dY))), F32_TOL)).toEqual([]);
      xt.dispose();
    });
  }
});
