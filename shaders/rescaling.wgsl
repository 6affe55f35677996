// Per-channel affine maps over the last axis (C channels), elementwise: Rescaling (y = x * SCALE + OFFSET,
// constants) and Normalization (y = (x - mean[c]) / max(sqrt(variance[c]), EPS), from buffers, so adapted
// statistics can be written after the pipelines are made). No workgroup memory or barriers: one family for
// GPUs and CPU adapters. Sizes are `override` constants (no Params uniform).

override WG: u32 = 64u;
override COUNT: u32 = 1u;
override C: u32 = 1u;
override SCALE: f32 = 1.0;
override OFFSET: f32 = 0.0;
/** Keras's backend.epsilon(): the floor of the standard deviation. */
override EPS: f32 = 1e-7;

@group(0) @binding(0) var<storage, read> rx: array<f32>;
@group(0) @binding(1) var<storage, read_write> ry: array<f32>;

/** Grid-stride: y = x * SCALE + OFFSET. Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn rescale_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) { ry[i] = rx[i] * SCALE + OFFSET; }
}

/** Grid-stride: dX = dY * SCALE (binds dY, dX). Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn rescale_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) { ry[i] = rx[i] * SCALE; }
}

@group(0) @binding(0) var<storage, read> nx: array<f32>;
@group(0) @binding(1) var<storage, read> nMean: array<f32>;
@group(0) @binding(2) var<storage, read> nVariance: array<f32>;
@group(0) @binding(3) var<storage, read_write> ny: array<f32>;

/** Grid-stride: y = (x - mean[c]) / max(sqrt(variance[c]), EPS). Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn normalize_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) {
    let c = i % C;
    ny[i] = (nx[i] - nMean[c]) / max(sqrt(nVariance[c]), EPS);
  }
}

@group(0) @binding(0) var<storage, read> bdy: array<f32>;
@group(0) @binding(1) var<storage, read> bVariance: array<f32>;
@group(0) @binding(2) var<storage, read_write> bdx: array<f32>;

/** Grid-stride: dX = dY / max(sqrt(variance[c]), EPS). Dispatch (min(ceil(COUNT / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn normalize_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) { bdx[i] = bdy[i] / max(sqrt(bVariance[i % C]), EPS); }
}
