// Shared finite-difference gradient check for the reference ops (float64).
// A test reduces an op's output to a scalar with a random projection, loss = sum(y * R), and feeds
// dY = R to the op's backward, so backward sees a generic dY rather than all ones. checkGradient then
// compares each analytic gradient with the central difference (f(x + eps) - f(x - eps)) / (2 eps).
import { type Tensor, tensor } from '../../src/reference/tensor';

/** Seeded uniform [0, 1) generator (mulberry32, the data split's): tests are reproducible. */
export { seededRandom as rng } from '../../src/data/split';

/** A tensor of values uniform in [lo, hi). */
export function randomTensor(shape: number[], rand: () => number, lo = -1, hi = 1): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = lo + (hi - lo) * rand();
  return t;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`dot: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export interface GradCheckOptions {
  /** Central-difference step. 1e-5 balances truncation (eps^2) and rounding (1e-16 / eps) in float64. */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Check at most this many entries per input (evenly spread), to bound the cost on larger inputs. */
  maxChecksPerInput?: number;
}

export interface GradCheckResult {
  /** Number of entries compared. */
  checked: number;
  /** Largest |analytic - numeric| / (atol + rtol |numeric|); <= 1 passes. */
  worst: number;
  /** One line per failing entry (first 10), empty when all pass. */
  failures: string[];
}

/**
 * Compares analytic[i] with the numerical gradient of f with respect to inputs[i], entry by entry.
 * f must read the given arrays (they are perturbed in place and restored).
 */
export function checkGradient(
  f: (inputs: Float64Array[]) => number,
  inputs: Float64Array[],
  analytic: Float64Array[],
  opts: GradCheckOptions = {},
): GradCheckResult {
  const { eps = 1e-5, rtol = 1e-6, atol = 1e-8, maxChecksPerInput = 400 } = opts;
  if (inputs.length !== analytic.length) throw new Error('checkGradient: one analytic gradient per input');
  const failures: string[] = [];
  let checked = 0;
  let worst = 0;
  inputs.forEach((x, which) => {
    const grad = analytic[which];
    if (grad.length !== x.length) {
      failures.push(`input ${which}: gradient has ${grad.length} entries, input ${x.length}`);
      return;
    }
    const step = Math.max(1, Math.floor(x.length / maxChecksPerInput));
    for (let j = 0; j < x.length; j += step) {
      const saved = x[j];
      x[j] = saved + eps;
      const plus = f(inputs);
      x[j] = saved - eps;
      const minus = f(inputs);
      x[j] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const ratio = Math.abs(grad[j] - numeric) / (atol + rtol * Math.abs(numeric));
      checked++;
      worst = Math.max(worst, Number.isNaN(ratio) ? Number.POSITIVE_INFINITY : ratio);
      if (!(ratio <= 1) && failures.length < 10) {
        failures.push(`input ${which}[${j}]: analytic ${grad[j]} vs numeric ${numeric}`);
      }
    }
  });
  return { checked, worst, failures };
}

/**
 * Entry-by-entry comparison |actual - expected| <= atol + rtol |expected|; returns one line per mismatch
 * (first 10) so a test can `expect(compareArrays(...)).toEqual([])` and see where it went wrong.
 */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol, atol }: { rtol: number; atol: number },
): string[] {
  if (actual.length !== expected.length) return [`length ${actual.length} vs expected ${expected.length}`];
  const failures: string[] = [];
  for (let i = 0; i < actual.length; i++) {
    const ok = Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]);
    if (!ok && failures.length < 10) failures.push(`[${i}]: ${actual[i]} vs expected ${expected[i]}`);
  }
  return failures;
}

/** A conv-like reference op: forward with an optional bias, backward to x, the kernel and the bias. */
export interface ConvLikeOp<O> {
  forward: (x: Tensor, kernel: Tensor, bias: Float64Array | null, opts: O) => Tensor;
  backward: (
    x: Tensor,
    kernel: Tensor,
    dY: Tensor,
    opts: O,
  ) => { dX: Tensor; dKernel: Tensor; dBias: Float64Array };
}

/**
 * Draws x, the kernel and the bias (in that order) from rand, runs the op forward, then checks its backward
 * (dX, dKernel, dBias) for a random dY = R against finite differences of sum(y * R).
 * Returns the forward output (for shape checks) and the check's result.
 */
export function convGradientCheck<O>(
  op: ConvLikeOp<O>,
  shapes: { x: number[]; k: number[]; bias: number },
  opts: O,
  rand: () => number,
  check: GradCheckOptions = {},
): { y: Tensor; result: GradCheckResult } {
  const x = randomTensor(shapes.x, rand);
  const k = randomTensor(shapes.k, rand);
  const bias = randomTensor([shapes.bias], rand).data;
  const y = op.forward(x, k, bias, opts);
  const R = randomTensor(y.shape, rand);
  const { dX, dKernel, dBias } = op.backward(x, k, R, opts);
  const loss = ([xv, kv, bv]: Float64Array[]) =>
    dot(op.forward({ shape: x.shape, data: xv }, { shape: k.shape, data: kv }, bv, opts).data, R.data);
  const result = checkGradient(loss, [x.data, k.data, bias], [dX.data, dKernel.data, dBias], check);
  return { y, result };
}

/**
 * The same n labels over k classes three ways: sparse class ids, one-hot rows and soft rows (random, each
 * summing to 1), drawn from rand in that order; `draw` makes the soft rows' random values before normalizing.
 */
export function labelForms(
  n: number,
  k: number,
  rand: () => number,
  draw: (shape: number[], rand: () => number, lo: number, hi: number) => Tensor,
): { sparse: Int32Array; onehot: Tensor; soft: Tensor } {
  const sparse = new Int32Array(n).map(() => Math.floor(rand() * k));
  const onehot = tensor([n, k]);
  sparse.forEach((c, r) => {
    onehot.data[r * k + c] = 1;
  });
  const soft = draw([n, k], rand, 0, 1);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += soft.data[r * k + j];
    for (let j = 0; j < k; j++) soft.data[r * k + j] /= s;
  }
  return { sparse, onehot, soft };
}

/**
 * The finite-difference check of a one-input op: dX (its backward for dY = R) against the gradient of
 * sum(forward(x) * R) with respect to x.
 */
export function inputGradientCheck(
  x: Tensor,
  R: Tensor,
  forward: (x: Tensor) => Tensor,
  dX: Tensor,
  opts: GradCheckOptions = {},
): GradCheckResult {
  const loss = ([xv]: Float64Array[]) => dot(forward({ shape: x.shape, data: xv }).data, R.data);
  return checkGradient(loss, [x.data], [dX.data], opts);
}
