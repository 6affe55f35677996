// An oracle no one here wrote, straight against the new GPU kernels: TensorFlow.js (tfjs-core, CPU backend)
// computes values and gradients (tf.grads) of BatchNormalization (training: tf.moments + tf.batchNorm; inference:
// moving statistics), DepthwiseConv2D, Conv2DTranspose, GlobalMaxPooling2D (tf.max; random inputs have no ties,
// where tfjs and TensorFlow differ) and UpSampling2D (a tf.tile of the pixels) on the inputs the GPU gets.
// Tolerance: max abs error <= TOL * (1 + max |tfjs|), both sides float32.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, it } from 'vitest';
import type { Conv2DConfig, Layer } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import type { BuiltLayer } from '../../src/model/sequential';
import { expectClose } from './harness';
import { builtLayer } from './param-harness';
import { runOnRandom } from './random-param-run';

const TOL = 2e-4;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const f64 = (t: tf.Tensor) => Float64Array.from(t.dataSync());

/**
 * Runs `built` on the GPU with random x, dY and weights (by name, `positive` ones in [0.5, 2]) and checks y and
 * the gradients of x and of each trainable weight against tf.grads of f(x, ...weights in `order`).
 */
async function againstTfjs(
  built: BuiltLayer,
  batch: number,
  order: string[],
  f: (x: tf.Tensor, ...w: tf.Tensor[]) => tf.Tensor,
  opts: { inference?: boolean; positive?: string[] } = {},
) {
  const rng = new Rng(built.inputShape.reduce((a, b) => a * 7 + b, batch));
  const { x, dY, values, run } = await runOnRandom(built, batch, rng, {
    inference: opts.inference,
    xRange: [-2, 2],
    paramRange: (name) => (opts.positive?.includes(name) ? [0.5, 2] : [-1, 1]),
  });
  const what = `${built.layer.className} ${JSON.stringify(built.inputShape)}${opts.inference ? ' inference' : ''}`;
  const inputs = [
    tf.tensor(Float32Array.from(x.data), x.shape),
    ...order.map((n) => tf.tensor(Float32Array.from(values[n].data), values[n].shape)),
  ];
  tf.tidy(() => {
    expectClose(`${what} y`, run.y, f64(f(inputs[0], ...inputs.slice(1))), TOL);
    if (opts.inference) return;
    const grads = tf.grads((...xs: tf.Tensor[]) => f(xs[0], ...xs.slice(1)))(
      inputs,
      tf.tensor(Float32Array.from(dY.data), dY.shape),
    );
    expectClose(`${what} dX`, run.dX, f64(grads[0]), TOL);
    order.forEach((n, i) => {
      const spec = built.params.find((p) => p.name === n);
      if (spec?.trainable !== false) expectClose(`${what} d${n}`, run.grads[n], f64(grads[i + 1]), TOL);
    });
  });
  tf.dispose(inputs);
}

function bn(shape: number[]): BuiltLayer {
  const ch = shape[shape.length - 1];
  const layer: Layer = {
    className: 'BatchNormalization',
    config: {
      name: 'batch_normalization',
      axis: -1,
      momentum: 0.99,
      epsilon: 1e-3,
      center: true,
      scale: true,
      beta_initializer: 'zeros',
      gamma_initializer: 'ones',
      moving_mean_initializer: 'zeros',
      moving_variance_initializer: 'ones',
    },
  };
  return builtLayer(layer, shape, shape, [
    { name: 'gamma', shape: [ch], initializer: 'ones' },
    { name: 'beta', shape: [ch], initializer: 'zeros' },
    { name: 'moving_mean', shape: [ch], initializer: 'zeros', trainable: false },
    { name: 'moving_variance', shape: [ch], initializer: 'ones', trainable: false },
  ]);
}

/** What the convolution tests share: stride 2, linear, with a bias initialized to zeros. */
const STRIDE2_LINEAR_BIASED: Pick<Conv2DConfig, 'strides' | 'activation' | 'use_bias' | 'bias_initializer'> =
  {
    strides: [2, 2],
    activation: 'linear',
    use_bias: true,
    bias_initializer: 'zeros',
  };

describe('new GPU kernels against TensorFlow.js', () => {
  it('BatchNormalization training (batch moments) and inference (moving statistics)', async () => {
    for (const shape of [[6, 6, 8], [12]]) {
      const axes = [0, ...shape.slice(0, -1).map((_, i) => i + 1)];
      await againstTfjs(bn(shape), 4, ['gamma', 'beta'], (x, g, b) => {
        const { mean, variance } = tf.moments(x, axes);
        return tf.batchNorm(x, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3);
      });
      await againstTfjs(
        bn(shape),
        3,
        ['gamma', 'beta', 'moving_mean', 'moving_variance'],
        (x, g, b, m, v) => tf.batchNorm(x, m, v, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3),
        { inference: true, positive: ['moving_variance'] },
      );
    }
  });

  it("DepthwiseConv2D 3x3 stride 2 'same', multiplier 2, bias", async () => {
    const layer: Layer = {
      className: 'DepthwiseConv2D',
      config: {
        ...STRIDE2_LINEAR_BIASED,
        name: 'depthwise_conv2d',
        kernel_size: [3, 3],
        padding: 'same',
        depth_multiplier: 2,
        depthwise_initializer: 'glorot_uniform',
      },
    };
    const built = builtLayer(
      layer,
      [9, 8, 3],
      [5, 4, 6],
      [
        { name: 'depthwise_kernel', shape: [3, 3, 3, 2], initializer: 'glorot_uniform' },
        { name: 'bias', shape: [6], initializer: 'zeros' },
      ],
    );
    await againstTfjs(built, 2, ['depthwise_kernel', 'bias'], (x, k, b) =>
      tf.add(tf.depthwiseConv2d(x as tf.Tensor4D, k as tf.Tensor4D, 2, 'same'), b),
    );
  });

  it("Conv2DTranspose 3x3 stride 2 'same' (kernel [kh, kw, out, in]) and 2x2 'valid'", async () => {
    for (const [k, padding, out] of [
      [3, 'same', [10, 8, 4]],
      [2, 'valid', [10, 8, 4]],
    ] as const) {
      const layer: Layer = {
        className: 'Conv2DTranspose',
        config: {
          ...STRIDE2_LINEAR_BIASED,
          name: 'conv2d_transpose',
          filters: 4,
          kernel_size: [k, k],
          padding,
          kernel_initializer: 'glorot_uniform',
        },
      };
      const built = builtLayer(
        layer,
        [5, 4, 3],
        [...out],
        [
          { name: 'kernel', shape: [k, k, 4, 3], initializer: 'glorot_uniform' },
          { name: 'bias', shape: [4], initializer: 'zeros' },
        ],
      );
      await againstTfjs(built, 2, ['kernel', 'bias'], (x, kt, b) =>
        tf.add(tf.conv2dTranspose(x as tf.Tensor4D, kt as tf.Tensor4D, [2, ...out], 2, padding), b),
      );
    }
  });

  it('GlobalMaxPooling2D and UpSampling2D (nearest, size (2, 3))', async () => {
    const gmp = builtLayer({ className: 'GlobalMaxPooling2D', config: { name: 'gmp' } }, [5, 6, 4], [4], []);
    await againstTfjs(gmp, 3, [], (x) => tf.max(x, [1, 2]));
    const up = builtLayer(
      { className: 'UpSampling2D', config: { name: 'up', size: [2, 3], interpolation: 'nearest' } },
      [4, 3, 2],
      [8, 9, 2],
      [],
    );
    // Nearest upsampling as two gathers (rows floor(oy / 2), columns floor(ox / 3)); tf.gather's gradient sums
    // the copies. (tfjs's own resizeNearestNeighbor gives the same values, but its CPU gradient disagrees with
    // finite differences for this shape.)
    const rows = tf.tensor1d([0, 0, 1, 1, 2, 2, 3, 3], 'int32');
    const cols = tf.tensor1d([0, 0, 0, 1, 1, 1, 2, 2, 2], 'int32');
    await againstTfjs(up, 2, [], (x) => tf.gather(tf.gather(x, rows, 1), cols, 2));
    tf.dispose([rows, cols]);
  });
});
