// Per-channel affine maps over the last axis (C channels), elementwise: Rescaling (y = x * SCALE + OFFSET,
// constants) and Normalization (y = (x - mean[c]) / max(sqrt(variance[c]), EPS), from buffers, so adapted
// statistics can be written after the pipelines are made). No workgroup memory or barriers: one family for
// GPUs and CPU adapters. Sizes are `override` constants (no Params uniform). Bindings and entry points are
// generated from the `//!` lines (src/gpu/shaders.ts).

override WG: u32 = 64u;
override COUNT: u32 = 1u;
override C: u32 = 1u;
override SCALE: f32 = 1.0;
override OFFSET: f32 = 0.0;
/** Keras's backend.epsilon(): the floor of the standard deviation. */
override EPS: f32 = 1e-7;

//! bindings rx -> ry

/** Grid-stride: y = x * SCALE + OFFSET. Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
//! grid_stride rescale_forward(COUNT)
fn rescale_forward_at(i: u32) { ry[i] = rx[i] * SCALE + OFFSET; }

/** Grid-stride: dX = dY * SCALE (binds dY, dX). Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
//! grid_stride rescale_backward(COUNT)
fn rescale_backward_at(i: u32) { ry[i] = rx[i] * SCALE; }

//! bindings nx nMean nVariance -> ny

/** Grid-stride: y = (x - mean[c]) / max(sqrt(variance[c]), EPS). Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
//! grid_stride normalize_forward(COUNT)
fn normalize_forward_at(i: u32) {
  let c = i % C;
  ny[i] = (nx[i] - nMean[c]) / max(sqrt(nVariance[c]), EPS);
}

//! bindings bdy bVariance -> bdx

/** Grid-stride: dX = dY / max(sqrt(variance[c]), EPS). Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
//! grid_stride normalize_backward(COUNT)
fn normalize_backward_at(i: u32) { bdx[i] = bdy[i] / max(sqrt(bVariance[i % C]), EPS); }
