// After a run: the most confidently wrong test images with their top-3 classes, from predicted probabilities.
import type { WrongExample } from '../train/types';

export function topK(probs: Float32Array, offset: number, classes: number, k: number): [number, number][] {
  const idx = Array.from({ length: classes }, (_, c) => c);
  idx.sort((a, b) => probs[offset + b] - probs[offset + a]);
  return idx.slice(0, k).map((c) => [c, probs[offset + c]]);
}

/** Wrong predictions sorted by the probability given to the wrong class, most confident first. */
export function confidentlyWrong(
  probs: Float32Array,
  labels: Int32Array,
  count: number,
  classes: number,
  limit: number,
): WrongExample[] {
  const wrong: { ex: WrongExample; p: number }[] = [];
  for (let i = 0; i < count; i++) {
    const top3 = topK(probs, i * classes, classes, Math.min(3, classes));
    if (top3[0][0] !== labels[i]) wrong.push({ ex: { index: i, label: labels[i], top3 }, p: top3[0][1] });
  }
  wrong.sort((a, b) => b.p - a.p);
  return wrong.slice(0, limit).map((w) => w.ex);
}

/** Row = true class, column = predicted class. */
export function confusionFromProbs(
  probs: Float32Array,
  labels: Int32Array,
  count: number,
  classes: number,
): Int32Array {
  const m = new Int32Array(classes * classes);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    m[labels[i] * classes + best]++;
  }
  return m;
}
