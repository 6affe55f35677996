// GlobalAveragePooling2D / GlobalMaxPooling2D: [BATCH, H, W, C] -> [BATCH, C], the mean or the max over each
// channel's H*W pixels. Max ties split the gradient evenly (TensorFlow's reduce_max gradient, which Keras 3's
// GlobalMaxPooling2D inherits). No workgroup memory or barriers: one family for GPUs and CPU adapters.
// Sizes are `override` constants (no Params uniform); bindings and entry points come from the `//!` lines.

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override HW: u32 = 1u; // H * W
override C: u32 = 1u;
override IS_MAX: bool = false;

//! bindings x -> y

/**
 * One invocation: y[b, c] = sum_p x[b, p, c] / HW, or max_p x[b, p, c] (consecutive invocations read consecutive
 * channels). Dispatch (ceil(BATCH * C / WG), 1, 1).
 */
//! each forward(BATCH * C)
fn forward_at(i: u32) {
  let base = (i / C) * HW * C + i % C;
  if (IS_MAX) {
    y[i] = columnMax(base);
    return;
  }
  var s = 0.0;
  for (var p = 0u; p < HW; p++) { s += x[base + p * C]; }
  y[i] = s / f32(HW);
}

//! bindings dy -> dx

/** Average, grid-stride over x: dX[b, p, c] = dY[b, c] / HW. Dispatch (min(ceil(|x| / WG), 1024), 1, 1). */
//! grid_stride backward(BATCH * HW * C)
fn backward_at(i: u32) { dx[i] = dy[i / (C * HW) * C + i % C] / f32(HW); }

//! bindings _ mdy -> mdx

/**
 * Max, one invocation per (b, c): writes the whole column dX[b, :, c]: dY[b, c] / k at the k cells equal to the
 * maximum, 0 elsewhere (the max is recomputed from x, bound as in `forward`; nothing is saved).
 * Dispatch (ceil(BATCH * C / WG), 1, 1).
 */
//! each backward_max(BATCH * C)
fn backward_max_at(i: u32) {
  let base = (i / C) * HW * C + i % C;
  let m = columnMax(base);
  var ties = 0.0;
  for (var p = 0u; p < HW; p++) { ties += select(0.0, 1.0, x[base + p * C] == m); }
  let share = mdy[i] / ties;
  for (var p = 0u; p < HW; p++) { mdx[base + p * C] = select(0.0, share, x[base + p * C] == m); }
}

/** max_p x[base + p C]: the maximum of one channel's column of HW pixels. */
fn columnMax(base: u32) -> f32 {
  var m = x[base];
  for (var p = 1u; p < HW; p++) { m = max(m, x[base + p * C]); }
  return m;
}
