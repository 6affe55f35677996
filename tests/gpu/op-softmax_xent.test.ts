import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/model/random';
import { activationForward } from '../../src/reference/activations';
import { softmaxCrossEntropy } from '../../src/reference/softmax_xent';
import { tensor } from '../../src/reference/tensor';
import { expectClose, runLoss, SENTINEL } from './harness';

// Tolerance: probs / dLogits max abs error <= 1e-5 * (1 + max|ref|); loss sum relative 1e-5.
const TOL = 1e-5;

function randomLogits(rows: number, classes: number, seed: number, scale = 4): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * classes }, () => rng.uniform(-scale, scale));
}

/** The reference over the valid rows only (what "ignored" means), scattered back into full-size arrays. */
function expected(logits: Float32Array, labels: Int32Array, classes: number) {
  const rows = labels.length;
  const valid = [...labels.keys()].filter((r) => labels[r] >= 0);
  const sub = tensor([valid.length, classes]);
  valid.forEach((r, i) => {
    for (let k = 0; k < classes; k++) sub.data[i * classes + k] = logits[r * classes + k];
  });
  const ref = softmaxCrossEntropy(sub, Int32Array.from(valid.map((r) => labels[r])));
  const dLogits = new Float64Array(rows * classes);
  valid.forEach((r, i) => {
    for (let k = 0; k < classes; k++) dLogits[r * classes + k] = ref.dLogits.data[i * classes + k];
  });
  const probs = activationForward('softmax', tensor([rows, classes], logits)).data;
  return { ...ref, dLogits, probs, count: valid.length };
}

describe('softmax cross-entropy on the GPU', () => {
  it('sparse labels, padding rows (-1) ignored, metrics accumulate across steps', async () => {
    const classes = 10;
    const rows = 37;
    const logits = randomLogits(rows, classes, 1);
    const rng = new Rng(2);
    const labels = Int32Array.from({ length: rows }, (_, r) =>
      r >= 33 ? -1 : Math.floor(rng.next() * classes),
    );
    // Make a few rows correct so the count is not trivially zero.
    for (let r = 0; r < 8; r++) logits[r * classes + labels[r]] = 20;
    const ref = expected(logits, labels, classes);
    const run = await runLoss(logits, labels, classes, 'train', 2);
    expectClose('probs', run.probs, ref.probs, TOL);
    expectClose('dLogits', run.dLogits, ref.dLogits, TOL);
    expect(run.metrics[0]).toBeCloseTo(2 * ref.lossSum, 3);
    expect(run.metrics[1]).toBe(2 * ref.correct);
    expect(run.metrics[2]).toBe(2 * ref.count);
    expect(run.metrics[3]).toBe(0);
    expect(ref.correct).toBeGreaterThanOrEqual(8);
  });

  it('one-hot labels, large batch reduced by one workgroup, huge logits stay finite', async () => {
    const classes = 7;
    const rows = 300;
    const logits = randomLogits(rows, classes, 3, 60);
    const rng = new Rng(4);
    const sparse = Int32Array.from({ length: rows }, () => Math.floor(rng.next() * classes));
    const oneHot = new Float32Array(rows * classes);
    sparse.forEach((l, r) => {
      oneHot[r * classes + l] = 1;
    });
    const ref = expected(logits, sparse, classes);
    const run = await runLoss(logits, oneHot, classes, 'train');
    expectClose('probs', run.probs, ref.probs, TOL);
    expectClose('dLogits', run.dLogits, ref.dLogits, TOL);
    expect(Math.abs(run.metrics[0] - ref.lossSum)).toBeLessThanOrEqual(1e-5 * ref.lossSum);
    expect(run.metrics[1]).toBe(ref.correct);
    expect(run.metrics[2]).toBe(rows);
    expect(run.metrics[3]).toBe(0);
  });

  it('evaluate writes probs and metrics but no gradient; predict writes probs only', async () => {
    const logits = randomLogits(5, 3, 5);
    const labels = Int32Array.from([0, 1, 2, 1, 0]);
    const ref = expected(logits, labels, 3);
    const ev = await runLoss(logits, labels, 3, 'evaluate');
    expectClose('probs', ev.probs, ref.probs, TOL);
    expect([...ev.dLogits].every((v) => v === SENTINEL)).toBe(true);
    expect(ev.metrics[2]).toBe(5);
    expect(ev.metrics[0]).toBeCloseTo(ref.lossSum, 4);
    const pr = await runLoss(logits, labels, 3, 'predict');
    expectClose('probs', pr.probs, ref.probs, TOL);
    expect([...pr.metrics]).toEqual([0, 0, 0, 0]);
  });

  it('flags a non-finite logit', async () => {
    const logits = randomLogits(4, 3, 6);
    logits[5] = Number.NaN;
    const run = await runLoss(logits, Int32Array.from([0, 1, 2, 0]), 3, 'train');
    expect(run.metrics[3]).toBe(1);
  });
});
