// Reference optimizers: one Keras 3 update step, in place on float64 parameters.
// Formulas follow keras/src/optimizers/{sgd,adam,rmsprop}.py (Keras 3), defaults included.
export interface SgdState {
  velocity?: Float64Array;
}
export interface SgdOptions {
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
}

/**
 * Keras 3 SGD: momentum 0: p -= lr g. Otherwise v = m v - lr g, then p += v, or with Nesterov
 * p += m v - lr g (using the freshly updated v).
 */
export function sgdStep(p: Float64Array, g: Float64Array, state: SgdState, opts: SgdOptions = {}): void {
  const { learningRate: lr = 0.01, momentum: m = 0, nesterov = false } = opts;
  checkSizes('sgd', p, g);
  if (m === 0) {
    for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
    return;
  }
  if (!state.velocity) state.velocity = new Float64Array(p.length);
  const v = state.velocity;
  for (let i = 0; i < p.length; i++) {
    v[i] = m * v[i] - lr * g[i];
    p[i] += nesterov ? m * v[i] - lr * g[i] : v[i];
  }
}

export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  /** Steps taken so far (Keras's `iterations`); incremented by adamStep. */
  t: number;
}
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Keras 3 Adam: t += 1; alpha = lr sqrt(1 - b2^t) / (1 - b1^t); m += (g - m)(1 - b1);
 * v += (g^2 - v)(1 - b2); p -= alpha m / (sqrt(v) + eps). Epsilon sits outside the bias correction
 * ("epsilon hat"), unlike TF.js's Adam which divides the corrected m by sqrt(corrected v) + eps.
 */
export function adamStep(p: Float64Array, g: Float64Array, state: AdamState, opts: AdamOptions = {}): void {
  const { learningRate: lr = 0.001, beta1: b1 = 0.9, beta2: b2 = 0.999, epsilon: eps = 1e-7 } = opts;
  checkSizes('adam', p, g);
  state.t += 1;
  const alpha = (lr * Math.sqrt(1 - b2 ** state.t)) / (1 - b1 ** state.t);
  const { m, v } = state;
  for (let i = 0; i < p.length; i++) {
    m[i] += (g[i] - m[i]) * (1 - b1);
    v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
    p[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + eps);
  }
}

export interface RmspropState {
  /** Moving average of g^2 (Keras's `velocity`). */
  velocity: Float64Array;
  /** Only used when momentum > 0. */
  momentum?: Float64Array;
  /** Only used when centered. */
  averageGradient?: Float64Array;
}
export interface RmspropOptions {
  learningRate?: number;
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/**
 * Keras 3 RMSprop (keras/src/optimizers/rmsprop.py, update_step):
 *   velocity = rho velocity + (1 - rho) g^2
 *   centered: avg = rho avg + (1 - rho) g; denominator = velocity - avg^2 + eps, else velocity + eps
 *   increment = lr g / sqrt(denominator)       (eps is inside the square root, unlike Adam)
 *   momentum > 0: mom = momentum mom + increment; p -= mom.   else p -= increment
 */
export function rmspropStep(
  p: Float64Array,
  g: Float64Array,
  state: RmspropState,
  opts: RmspropOptions = {},
): void {
  const { learningRate: lr = 0.001, rho = 0.9, momentum = 0, epsilon: eps = 1e-7, centered = false } = opts;
  checkSizes('rmsprop', p, g);
  const vel = state.velocity;
  if (momentum > 0 && !state.momentum) state.momentum = new Float64Array(p.length);
  if (centered && !state.averageGradient) state.averageGradient = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    vel[i] = rho * vel[i] + (1 - rho) * g[i] * g[i];
    let denominator: number;
    if (centered) {
      const avg = state.averageGradient!;
      avg[i] = rho * avg[i] + (1 - rho) * g[i];
      denominator = vel[i] - avg[i] * avg[i] + eps;
    } else {
      denominator = vel[i] + eps;
    }
    const increment = (lr * g[i]) / Math.sqrt(denominator);
    if (momentum > 0) {
      const mom = state.momentum!;
      mom[i] = momentum * mom[i] + increment;
      p[i] -= mom[i];
    } else {
      p[i] -= increment;
    }
  }
}

export type OptimizerKind = 'sgd' | 'adam' | 'rmsprop';
export type OptimizerState = SgdState | AdamState | RmspropState;

/** Zeroed state for `size` parameters (Keras starts every slot at zero). */
export function makeOptimizerState(kind: 'sgd', size: number): SgdState;
export function makeOptimizerState(kind: 'adam', size: number): AdamState;
export function makeOptimizerState(kind: 'rmsprop', size: number): RmspropState;
export function makeOptimizerState(kind: OptimizerKind, size: number): OptimizerState;
export function makeOptimizerState(kind: OptimizerKind, size: number): OptimizerState {
  switch (kind) {
    case 'sgd':
      return { velocity: new Float64Array(size) };
    case 'adam':
      return { m: new Float64Array(size), v: new Float64Array(size), t: 0 };
    case 'rmsprop':
      return { velocity: new Float64Array(size) };
  }
}

function checkSizes(name: string, p: Float64Array, g: Float64Array): void {
  if (p.length !== g.length) throw new Error(`${name}: ${p.length} parameters but ${g.length} gradients`);
}
