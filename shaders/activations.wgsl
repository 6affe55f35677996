// Standalone activations (the Activation layer, and the unfused path of Conv2D/Dense for softmax, swish and
// gelu), forward and backward. Sizes are `override` constants (no Params uniform).
// act, actGrad, actGradFromY and the ACT / ALPHA overrides come from shaders/lib/act.wgsl.
//! use act

override WG: u32 = 64u;
/** Elements in the whole tensor (elementwise entry points). */
override COUNT: u32 = 1u;
/** Softmax: rows and the length of the last axis. */
override ROWS: u32 = 1u;
override ROW_LEN: u32 = 1u;

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
