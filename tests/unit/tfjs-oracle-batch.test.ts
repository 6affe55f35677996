import { beforeAll, describe, expect, it } from 'vitest';
import { gatherBatch } from '../../src/reference/batch';
import { compareArrays, rng } from './gradcheck';
import { tf, useCpuBackend, values } from './tfjs-oracle-helpers';

beforeAll(useCpuBackend);

describe("gatherBatch 'resize' vs tf.image.resizeBilinear (half-pixel centres)", () => {
  for (const [srcH, srcW, dstH, dstW, channels] of [
    [28, 28, 32, 32, 1], // MNIST into a LeNet input
    [32, 32, 28, 28, 3], // CIFAR down to 28
    [7, 5, 4, 9, 3], // odd, mixed up/down
    [5, 6, 13, 2, 2],
  ]) {
    it(`${srcH}x${srcW}x${channels} -> ${dstH}x${dstW}`, () => {
      const rand = rng(srcH * 100 + dstW);
      const n = 3;
      const images = new Uint8Array(n * srcH * srcW * channels).map(() => Math.floor(rand() * 256));
      const indices = new Int32Array([2, 0]);
      const ours = gatherBatch(images, indices, {
        srcH,
        srcW,
        channels,
        dstH,
        dstW,
        mode: 'resize',
        normalization: { kind: 'scale255' },
      });
      const all = tf.tensor4d(Float32Array.from(images), [n, srcH, srcW, channels]);
      const picked = tf.gather(all, tf.tensor1d(indices, 'int32'));
      const resized = tf.image.resizeBilinear(picked as tf.Tensor4D, [dstH, dstW], false, true);
      const theirs = values(tf.div(resized, 255));
      expect(compareArrays(ours.data, theirs, { rtol: 1e-5, atol: 1e-6 })).toEqual([]);
      tf.dispose([all, picked, resized]);
    });
  }
});
