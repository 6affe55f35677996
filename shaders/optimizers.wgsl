// Optimizer updates, Keras 3 formulas (keras/src/optimizers/{sgd,adam,rmsprop}.py), one dispatch per
// parameter tensor. Each entry point binds only what it uses, in the order: gradient and STEP state (read),
// parameter and slot variables (read_write), Params uniform last (binding 6 in every entry point; bind groups
// name their binding numbers, so an entry point that skips slots simply leaves those numbers out). The learning rate and the step count come
// from the STEP buffer (see src/ops/types.ts), so changing the rate or advancing Adam's bias correction needs
// no upload besides the per-step STEP write.
//
// Dispatch for all entry points: (min(ceil(size / WG), 65535), ceil(ceil(size / WG) / 65535), 1) workgroups;
// the flat element index folds the y dimension in, so tensors beyond 65535 * WG elements work.

override WG: u32 = 256;

struct Params {
  size: u32,
  // sgd: momentum; rmsprop: momentum.
  momentum: f32,
  // adam: beta_1, beta_2; rmsprop: rho in beta1.
  beta1: f32,
  beta2: f32,
  epsilon: f32,
  // -ln(beta_1), -ln(beta_2) computed in float64 on the CPU, so 1 - beta^t is accurate in f32 at small t.
  negLogBeta1: f32,
  negLogBeta2: f32,
  // bit 0: nesterov (sgd); bit 1: centered (rmsprop).
  flags: u32,
}

@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> step: StepState;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> slot1: array<f32>;
@group(0) @binding(4) var<storage, read_write> slot2: array<f32>;
@group(0) @binding(5) var<storage, read_write> slot3: array<f32>;
@group(0) @binding(6) var<uniform> prm: Params;

fn flatIndex(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn learningRate() -> f32 {
  return bitcast<f32>(step[STEP_LEARNING_RATE_BITS]);
}

/** 1 - beta^t from x = -t ln(beta) >= 0: a short series where exp(-x) is close to 1 (no cancellation). */
fn oneMinusPow(negLogBeta: f32, t: f32) -> f32 {
  let x = negLogBeta * t;
  if (x < 0.01) {
    return x * (1.0 - x * (0.5 - x * (1.0 / 6.0 - x / 24.0)));
  }
  return 1.0 - exp(-x);
}

/**
 * Plain SGD, one invocation per parameter: p -= lr g. Bindings: grad, step, param, Params.
 */
@compute @workgroup_size(WG)
fn sgd(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= prm.size) { return; }
  param[i] = param[i] - learningRate() * grad[i];
}

/**
 * SGD with momentum m, one invocation per parameter: v = m v - lr g; p += v, or with Nesterov
 * p += m v - lr g (with the updated v). Bindings: grad, step, param, velocity, Params.
 */
@compute @workgroup_size(WG)
fn sgd_momentum(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= prm.size) { return; }
  let lr = learningRate();
  let g = grad[i];
  let v = prm.momentum * slot1[i] - lr * g;
  slot1[i] = v;
  if ((prm.flags & 1u) != 0u) {
    param[i] = param[i] + prm.momentum * v - lr * g;
  } else {
    param[i] = param[i] + v;
  }
}

/**
 * Adam, one invocation per parameter, t = steps taken + 1:
 *   alpha = lr sqrt(1 - b2^t) / (1 - b1^t); m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
 *   p -= alpha m / (sqrt(v) + eps)   (Keras's "epsilon hat": eps outside the bias correction).
 * Bindings: grad, step, param, m, v, Params.
 */
@compute @workgroup_size(WG)
fn adam(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= prm.size) { return; }
  let t = f32(step[STEP_STEP] + 1u);
  let alpha = learningRate() * sqrt(oneMinusPow(prm.negLogBeta2, t)) / oneMinusPow(prm.negLogBeta1, t);
  let g = grad[i];
  let m = slot1[i] + (g - slot1[i]) * (1.0 - prm.beta1);
  let v = slot2[i] + (g * g - slot2[i]) * (1.0 - prm.beta2);
  slot1[i] = m;
  slot2[i] = v;
  param[i] = param[i] - alpha * m / (sqrt(v) + prm.epsilon);
}

/**
 * RMSprop (rho in beta1), one invocation per parameter:
 *   vel = rho vel + (1 - rho) g^2; centered: avg = rho avg + (1 - rho) g, den = vel - avg^2 + eps,
 *   else den = vel + eps; inc = lr g / sqrt(den); momentum > 0: mom = momentum mom + inc, p -= mom;
 *   else p -= inc.
 * Bindings: grad, step, param, velocity, momentum, average gradient, Params. Unused slots (momentum 0,
 * not centered) are bound to a small placeholder and never touched.
 */
@compute @workgroup_size(WG)
fn rmsprop(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatIndex(gid, nwg);
  if (i >= prm.size) { return; }
  let rho = prm.beta1;
  let g = grad[i];
  let vel = rho * slot1[i] + (1.0 - rho) * g * g;
  slot1[i] = vel;
  var den = vel + prm.epsilon;
  if ((prm.flags & 2u) != 0u) {
    let avg = rho * slot3[i] + (1.0 - rho) * g;
    slot3[i] = avg;
    den = vel - avg * avg + prm.epsilon;
  }
  let inc = learningRate() * g / sqrt(den);
  if (prm.momentum > 0.0) {
    let mom = prm.momentum * slot2[i] + inc;
    slot2[i] = mom;
    param[i] = param[i] - mom;
  } else {
    param[i] = param[i] - inc;
  }
}
