// An oracle no one here wrote: TensorFlow.js (tfjs-core, CPU backend) computes values and gradients (tf.grads)
// on the same random inputs the GPU kernels get through the harness. Tolerance: max abs error
// <= 1e-4 * (1 + max |tfjs|), both sides float32.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { AveragePooling2D, Conv2D, Dense, MaxPooling2D } from '../../src/model/factories';
import type { Layer } from '../../src/model/layers';
import { Rng } from '../../src/model/random';
import type { Tensor } from '../../src/reference/tensor';
import { expectClose, type OpCase, type OpRun, runLayer, runLoss } from './harness';

const TOL = 1e-4;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const toTf = (t: Tensor) => tf.tensor(Float32Array.from(t.data), t.shape, 'float32');
const f64 = (t: tf.Tensor) => Float64Array.from(t.dataSync());

/** Runs the case on the GPU, then checks y and the gradients against tfjs's f(x[, kernel, bias]). */
async function againstTfjs(
  c: OpCase,
  f: (x: tf.Tensor, kernel?: tf.Tensor, bias?: tf.Tensor) => tf.Tensor,
): Promise<OpRun> {
  const run = await runLayer(c);
  const inputs = [toTf(run.x)];
  if (run.kernel) inputs.push(toTf(run.kernel));
  if (run.bias) inputs.push(tf.tensor1d(Float32Array.from(run.bias)));
  const what = `${c.layer.className} ${JSON.stringify(c.input)}`;
  tf.tidy(() => {
    const y = f(inputs[0], inputs[1], inputs[2]);
    expectClose(`${what} y`, run.y, f64(y), TOL);
    const grads = tf.grads((...xs: tf.Tensor[]) => f(xs[0], xs[1], xs[2]))(inputs, toTf(run.dY));
    expectClose(`${what} dX`, run.dX, f64(grads[0]), TOL);
    if (run.kernel) expectClose(`${what} dKernel`, run.dKernel, f64(grads[1]), TOL);
    if (run.bias) expectClose(`${what} dBias`, run.dBias, f64(grads[2]), TOL);
  });
  tf.dispose(inputs);
  return run;
}

describe('GPU kernels against TensorFlow.js', () => {
  const convCases: [string, Layer, number[]][] = [
    ['LeNet conv2 5x5 valid relu', Conv2D({ filters: 16, kernel_size: 5, activation: 'relu' }), [14, 14, 6]],
    [
      "3x3 stride 2 'same' tanh",
      Conv2D({ filters: 5, kernel_size: 3, strides: 2, padding: 'same', activation: 'tanh' }),
      [9, 8, 3],
    ],
  ];
  for (const [title, layer, input] of convCases) {
    it(`conv2d ${title}`, async () => {
      if (layer.className !== 'Conv2D') throw new Error('not a conv');
      const cfg = layer.config;
      const act = cfg.activation === 'relu' ? tf.relu : tf.tanh;
      await againstTfjs({ layer, input, batch: 3 }, (x, k, b) =>
        act(tf.add(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, cfg.strides, cfg.padding), b!)),
      );
    });
  }

  // Average pooling with 'same' padding is left out: tfjs's avgPool gradient divides by the full window size
  // while its forward divides by the in-bounds count (TF's rule, which ours and the reference follow), so
  // tfjs disagrees with itself there. Overlapping 'valid' windows still test the gather.
  it("max pooling 2x2 and 3x3 stride 2 'same'; average pooling 2x2 and 3x3 stride 2 'valid'", async () => {
    for (const [pool, fn, padding] of [
      [MaxPooling2D, tf.maxPool, 'same'],
      [AveragePooling2D, tf.avgPool, 'valid'],
    ] as const) {
      await againstTfjs({ layer: pool({ pool_size: 2 }), input: [10, 10, 6], batch: 2 }, (x) =>
        fn(x as tf.Tensor4D, 2, 2, 'valid'),
      );
      await againstTfjs(
        { layer: pool({ pool_size: 3, strides: 2, padding }), input: [7, 9, 3], batch: 2 },
        (x) => fn(x as tf.Tensor4D, 3, 2, padding),
      );
    }
  });

  it('dense 400 -> 120 relu and 120 -> 10 sigmoid', async () => {
    await againstTfjs(
      { layer: Dense({ units: 120, activation: 'relu' }), input: [400], batch: 8 },
      (x, k, b) => tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, k as tf.Tensor2D), b!)),
    );
    await againstTfjs(
      { layer: Dense({ units: 10, activation: 'sigmoid' }), input: [120], batch: 5 },
      (x, k, b) => tf.sigmoid(tf.add(tf.matMul(x as tf.Tensor2D, k as tf.Tensor2D), b!)),
    );
  });

  it('softmax cross-entropy: loss, probabilities and d loss / d logits', async () => {
    const rows = 64;
    const classes = 10;
    const rng = new Rng(9);
    const logits = Float32Array.from({ length: rows * classes }, () => rng.uniform(-5, 5));
    const labels = Int32Array.from({ length: rows }, () => Math.floor(rng.next() * classes));
    const run = await runLoss(logits, labels, classes, 'train');
    tf.tidy(() => {
      const z = tf.tensor2d(logits, [rows, classes]);
      const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
      const lossFn = (t: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, t);
      const loss = lossFn(z).dataSync()[0];
      const [dZ] = tf.grads((t: tf.Tensor) => lossFn(t))([z]);
      expectClose('probs', run.probs, f64(tf.softmax(z)), 1e-5);
      expectClose('dLogits', run.dLogits, f64(dZ), 1e-5);
      expect(Math.abs(run.metrics[0] / rows - loss)).toBeLessThanOrEqual(1e-5 * (1 + loss));
      const correct = f64(
        tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), tf.tensor1d(labels, 'int32')), 'float32')),
      );
      expect(run.metrics[1]).toBe(correct[0]);
    });
  });
});
