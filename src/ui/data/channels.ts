// Channel conversion between a dataset and a model's input: RGB to grayscale (ITU-R 601 luma, as PIL and
// Keras's rgb_to_grayscale do) and grayscale to RGB (copies).
import type { Dataset, ImageSet } from '../../data/types';

function convertSet(set: ImageSet, from: number, to: number): ImageSet {
  const pixels = set.images.length / from;
  const out = new Uint8Array(pixels * to);
  for (let p = 0; p < pixels; p++) {
    if (to === 1) {
      const o = p * from;
      out[p] = Math.round(0.299 * set.images[o] + 0.587 * set.images[o + 1] + 0.114 * set.images[o + 2]);
    } else {
      const v = set.images[p * from];
      for (let c = 0; c < to; c++) out[p * to + c] = v;
    }
  }
  return { images: out, labels: set.labels, count: set.count };
}

export function convertChannels(d: Dataset, to: 1 | 3): Dataset {
  if (d.channels === to) return d;
  const norm =
    d.normalization.kind === 'meanstd'
      ? {
          kind: 'meanstd' as const,
          mean: to === 1 ? [avg(d.normalization.mean)] : Array(3).fill(d.normalization.mean[0]),
          std: to === 1 ? [avg(d.normalization.std)] : Array(3).fill(d.normalization.std[0]),
        }
      : d.normalization;
  return {
    ...d,
    channels: to,
    train: convertSet(d.train, d.channels, to),
    test: d.test ? convertSet(d.test, d.channels, to) : null,
    normalization: norm,
    notes: [...d.notes, to === 1 ? 'converted to grayscale' : 'grayscale copied to 3 channels'],
  };
}

const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
