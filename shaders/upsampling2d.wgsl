// UpSampling2D, nearest: [BATCH, H, W, C] -> [BATCH, H * SH, W * SW, C], each pixel repeated as an SH x SW
// block. Forward copies, backward sums each block (a gather per input cell: no atomics, no barriers; one family
// for GPUs and CPU adapters). Sizes are `override` constants (no Params uniform).
//! use nhwc

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override H: u32 = 1u;
override W: u32 = 1u;
override C: u32 = 1u;
override SH: u32 = 1u;
override SW: u32 = 1u;

//! bindings x -> y

/**
 * Grid-stride over y: y[b, oy, ox, c] = x[b, oy / SH, ox / SW, c].
 * Dispatch (min(ceil(BATCH * H * SH * W * SW * C / WG), 1024), 1, 1).
 */
//! grid_stride forward(BATCH * H * SH * W * SW * C)
fn forward_at(i: u32) {
  let p = nhwcOf(i, H * SH, W * SW, C);
  y[i] = x[nhwcAt(p / vec4<u32>(1u, SH, SW, 1u), H, W, C)];
}

//! bindings dy -> dx

/**
 * Grid-stride over x: dX[b, iy, ix, c] = sum_{u < SH, v < SW} dY[b, iy * SH + u, ix * SW + v, c] (the gradient
 * of a copy is the sum over the copies). Dispatch (min(ceil(BATCH * H * W * C / WG), 1024), 1, 1).
 */
//! grid_stride backward(BATCH * H * W * C)
fn backward_at(i: u32) {
  // dY[b, iy * SH, ix * SW, c]: the block's first cell; u rows down is u * W * SW cells on.
  let first = nhwcAt(nhwcOf(i, H, W, C) * vec4<u32>(1u, SH, SW, 1u), H * SH, W * SW, C);
  var s = 0.0;
  for (var u = 0u; u < SH; u++) {
    for (var v = 0u; v < SW; v++) { s += dy[first + (u * W * SW + v) * C]; }
  }
  dx[i] = s;
}
