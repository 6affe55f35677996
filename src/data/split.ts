// A stratified, seeded validation split: each class gives the same fraction of its images (largest
// remainders settle the rounding), picked by a seeded shuffle, so the same seed always gives the same split.
import type { ImageSet } from './types';

/** mulberry32: a small, well-mixed 32-bit PRNG; deterministic across platforms. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function take(set: ImageSet, indices: number[]): ImageSet {
  const size = set.count > 0 ? set.images.length / set.count : 0;
  const images = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, dst) => {
    images.set(set.images.subarray(src * size, (src + 1) * size), dst * size);
    labels[dst] = set.labels[src];
  });
  return { images, labels, count: indices.length };
}

export function splitValidation(set: ImageSet, fraction = 0.1, seed = 1): { train: ImageSet; val: ImageSet } {
  if (!(fraction >= 0 && fraction < 1))
    throw new Error(`splitValidation: fraction must be in [0, 1), got ${fraction}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < set.count; i++) {
    const list = byClass.get(set.labels[i]);
    if (list) list.push(i);
    else byClass.set(set.labels[i], [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const totalVal = Math.round(set.count * fraction);
  // Each class's exact share, floored; the remaining images go to the largest remainders.
  const shares = classes.map((c) => byClass.get(c)!.length * fraction);
  const counts = shares.map(Math.floor);
  let left = totalVal - counts.reduce((a, b) => a + b, 0);
  const order = classes
    .map((_, i) => i)
    .sort((a, b) => shares[b] - counts[b] - (shares[a] - counts[a]) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    counts[i]++;
    left--;
  }
  const random = seededRandom(seed);
  const isVal = new Uint8Array(set.count);
  classes.forEach((c, ci) => {
    const idx = [...byClass.get(c)!];
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    for (let k = 0; k < counts[ci]; k++) isVal[idx[k]] = 1;
  });
  const train: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < set.count; i++) (isVal[i] ? val : train).push(i);
  return { train: take(set, train), val: take(set, val) };
}
