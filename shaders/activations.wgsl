// Standalone activations (the Activation layer, and the unfused path of Conv2D/Dense for softmax, swish and
// gelu), forward and backward. Sizes are `override` constants (no Params uniform).
// ACT ids: 0 linear, 1 relu, 2 sigmoid, 3 tanh, 4 softmax, 5 elu, 6 leaky_relu, 7 relu6, 8 selu,
// 9 softplus, 10 swish, 11 gelu. Derivatives at kinks follow TensorFlow (relu'(0) = 0).

override WG: u32 = 64u;
/** Elements in the whole tensor (elementwise entry points). */
override COUNT: u32 = 1u;
/** Softmax: rows and the length of the last axis. */
override ROWS: u32 = 1u;
override ROW_LEN: u32 = 1u;
override ACT: u32 = 0u;
override ALPHA: f32 = 0.0;

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;

fn sigmoid(v: f32) -> f32 {
  let e = exp(-abs(v));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), v >= 0.0);
}

// tanh through exp(-2|v|) so large |v| gives +-1 rather than inf / inf.
fn safeTanh(v: f32) -> f32 {
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}

// Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: WGSL has no erf.
fn erf(v: f32) -> f32 {
  let a = abs(v);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign(v) * (1.0 - poly * exp(-a * a));
}

fn act(v: f32) -> f32 {
  switch ACT {
    case 1u: { return max(v, 0.0); }
    case 2u: { return sigmoid(v); }
    case 3u: { return safeTanh(v); }
    case 5u: { return select(ALPHA * (exp(v) - 1.0), v, v > 0.0); }
    case 6u: { return select(ALPHA * v, v, v > 0.0); }
    case 7u: { return clamp(v, 0.0, 6.0); }
    case 8u: { return SELU_SCALE * select(SELU_ALPHA * (exp(v) - 1.0), v, v > 0.0); }
    case 9u: { return max(v, 0.0) + log(1.0 + exp(-abs(v))); }
    case 10u: { return v * sigmoid(v); }
    case 11u: { return 0.5 * v * (1.0 + erf(v * 0.7071067811865476)); }
    default: { return v; }
  }
}

/** d act / dv at input v with output y. */
fn actGrad(v: f32, y: f32) -> f32 {
  switch ACT {
    case 1u: { return select(0.0, 1.0, v > 0.0); }
    case 2u: { return y * (1.0 - y); }
    case 3u: { return 1.0 - y * y; }
    case 5u: { return select(ALPHA * exp(v), 1.0, v > 0.0); }
    case 6u: { return select(ALPHA, 1.0, v > 0.0); }
    case 7u: { return select(0.0, 1.0, v > 0.0 && v < 6.0); }
    case 8u: { return select(SELU_SCALE * SELU_ALPHA * exp(v), SELU_SCALE, v > 0.0); }
    case 9u: { return sigmoid(v); }
    case 10u: {
      let s = sigmoid(v);
      return s * (1.0 + v * (1.0 - s));
    }
    case 11u: {
      return 0.5 * (1.0 + erf(v * 0.7071067811865476)) + v * exp(-0.5 * v * v) * 0.3989422804014327;
    }
    default: { return 1.0; }
  }
}

@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read_write> fy: array<f32>;

/**
 * Grid-stride: invocation g handles elements g, g + stride, ... of y = act(x).
 * Dispatch (min(ceil(COUNT / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) {
    fy[i] = act(fx[i]);
  }
}

@group(0) @binding(0) var<storage, read> bx: array<f32>;
@group(0) @binding(1) var<storage, read> by: array<f32>;
@group(0) @binding(2) var<storage, read> bdy: array<f32>;
@group(0) @binding(3) var<storage, read_write> bdx: array<f32>;

/** Grid-stride: dX[i] = dY[i] * act'(x[i]) (using y[i] where cheaper). Dispatch as `forward`. */
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) {
    bdx[i] = bdy[i] * actGrad(bx[i], by[i]);
  }
}

@group(0) @binding(0) var<storage, read> gy: array<f32>;
@group(0) @binding(1) var<storage, read> gdy: array<f32>;
@group(0) @binding(2) var<storage, read_write> gdz: array<f32>;

/** act'(z) as a function of y = act(z), for the activations conv2d/dense fuse (see dense.wgsl). */
fn actGradFromY(y: f32) -> f32 {
  switch ACT {
    case 1u: { return select(0.0, 1.0, y > 0.0); }
    case 2u: { return y * (1.0 - y); }
    case 3u: { return 1.0 - y * y; }
    case 5u: { return select(y + ALPHA, 1.0, y > 0.0); }
    case 6u: { return select(ALPHA, 1.0, y > 0.0); }
    case 7u: { return select(0.0, 1.0, y > 0.0 && y < 6.0); }
    case 8u: { return select(y + SELU_SCALE * SELU_ALPHA, SELU_SCALE, y > 0.0); }
    case 9u: { return 1.0 - exp(-y); }
    default: { return 1.0; }
  }
}

/**
 * Grid-stride: dZ[i] = dY[i] * act'(z[i]) from the saved output y alone. Conv2D runs this once before its
 * dX / dK kernels, which would otherwise recompute it for every one of the KH*KW taps that read an element.
 * Dispatch as `forward`.
 */
@compute @workgroup_size(WG)
fn backward_from_y(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) {
    gdz[i] = gdy[i] * actGradFromY(gy[i]);
  }
}

/**
 * One invocation: one row of y = softmax(x) over the last axis, as exp(x - max) / sum.
 * Dispatch (ceil(ROWS / WG), 1, 1) (row count stays far below 65535 * WG for image-sized tensors).
 */
@compute @workgroup_size(WG)
fn softmax_forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= ROWS) { return; }
  let o = r * ROW_LEN;
  var m = fx[o];
  for (var j = 1u; j < ROW_LEN; j++) { m = max(m, fx[o + j]); }
  var s = 0.0;
  for (var j = 0u; j < ROW_LEN; j++) {
    let e = exp(fx[o + j] - m);
    fy[o + j] = e;
    s += e;
  }
  let inv = 1.0 / s;
  for (var j = 0u; j < ROW_LEN; j++) { fy[o + j] *= inv; }
}

@group(0) @binding(0) var<storage, read> sy: array<f32>;
@group(0) @binding(1) var<storage, read> sdy: array<f32>;
@group(0) @binding(2) var<storage, read_write> sdx: array<f32>;

/** One invocation: one row of dX = y * (dY - sum_j dY_j y_j). Dispatch (ceil(ROWS / WG), 1, 1). */
@compute @workgroup_size(WG)
fn softmax_backward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= ROWS) { return; }
  let o = r * ROW_LEN;
  var dot = 0.0;
  for (var j = 0u; j < ROW_LEN; j++) { dot += sdy[o + j] * sy[o + j]; }
  for (var j = 0u; j < ROW_LEN; j++) { sdx[o + j] = sy[o + j] * (sdy[o + j] - dot); }
}
