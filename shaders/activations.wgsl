// Standalone activations (the Activation layer, and the unfused path of Conv2D/Dense for softmax, swish and
// gelu), forward and backward. Sizes are `override` constants (no Params uniform).
// act, actGrad, actGradFromY and the ACT / ALPHA overrides come from shaders/lib/act.wgsl; the bindings and
// the entry points around each `<entry>_at` function are generated from the `//!` lines (src/gpu/shaders.ts).
//! use act

override WG: u32 = 64u;
/** Elements in the whole tensor (elementwise entry points). */
override COUNT: u32 = 1u;
/** Softmax: rows and the length of the last axis. */
override ROWS: u32 = 1u;
override ROW_LEN: u32 = 1u;

//! bindings fx -> fy

/**
 * Grid-stride: invocation g handles elements g, g + stride, ... of y = act(x).
 * Dispatch (min(ceil(COUNT / WG), 1024), 1, 1).
 */
//! grid_stride forward(COUNT)
fn forward_at(i: u32) { fy[i] = act(fx[i]); }

//! bindings bx by bdy -> bdx

/** Grid-stride: dX[i] = dY[i] * act'(x[i]) (using y[i] where cheaper). Dispatch as `forward`. */
//! grid_stride backward(COUNT)
fn backward_at(i: u32) { bdx[i] = bdy[i] * actGrad(bx[i], by[i]); }

//! bindings gy gdy -> gdz

/**
 * Grid-stride: dZ[i] = dY[i] * act'(z[i]) from the saved output y alone. Conv2D runs this once before its
 * dX / dK kernels, which would otherwise recompute it for every one of the KH*KW taps that read an element.
 * Dispatch as `forward`.
 */
//! grid_stride backward_from_y(COUNT)
fn backward_from_y_at(i: u32) { gdz[i] = gdy[i] * actGradFromY(gy[i]); }

/**
 * One invocation: one row of y = softmax(x) over the last axis, as exp(x - max) / sum.
 * Dispatch (ceil(ROWS / WG), 1, 1) (row count stays far below 65535 * WG for image-sized tensors).
 */
//! each softmax_forward(ROWS)
fn softmax_forward_at(r: u32) {
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

//! bindings sy sdy -> sdx

/** One invocation: one row of dX = y * (dY - sum_j dY_j y_j). Dispatch (ceil(ROWS / WG), 1, 1). */
//! each softmax_backward(ROWS)
fn softmax_backward_at(r: u32) {
  let o = r * ROW_LEN;
  var dot = 0.0;
  for (var j = 0u; j < ROW_LEN; j++) { dot += sdy[o + j] * sy[o + j]; }
  for (var j = 0u; j < ROW_LEN; j++) { sdx[o + j] = sy[o + j] * (sdy[o + j] - dot); }
}
