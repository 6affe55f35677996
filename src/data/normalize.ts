// Per-channel mean and standard deviation of a set, on the /255 scale, for a 'meanstd' normalization
// (what people use for CIFAR: x = (pixel / 255 - mean[c]) / std[c]).
import type { ImageSet, Normalization } from './types';

export function computeNormalization(set: ImageSet, channels: number): Normalization {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const n = set.images.length / channels;
  for (let i = 0; i < set.images.length; i++) {
    const v = set.images[i] / 255;
    sum[i % channels] += v;
    sq[i % channels] += v * v;
  }
  const mean = Array.from(sum, (s) => s / Math.max(1, n));
  const std = Array.from(sq, (s, c) => Math.sqrt(Math.max(0, s / Math.max(1, n) - mean[c] ** 2)) || 1);
  return { kind: 'meanstd', mean, std };
}
