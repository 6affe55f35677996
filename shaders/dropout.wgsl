// Inverted dropout with a counter-based mask: nothing is stored between forward and backward, both recompute
// keep(i) from the element index and the step's seed (bit-exact with src/reference/dropout.ts):
//   seed = STEP.seed + LAYER * 0x9E3779B9 + STEP.step * 0x85EBCA6B (u32, wrapping)
//   u = pcg(i + pcg(seed));  keep(i) = (u >> 8) >= THRESHOLD, THRESHOLD = ceil(rate * 2^24)
// which is `(u >> 8) / 2^24 >= rate` evaluated exactly in integers. y = x * keep / (1 - rate).
// Sizes and the rate are `override` constants; the STEP state buffer plays the role of the Params uniform.

//! use hash

override WG: u32 = 64u;
override COUNT: u32 = 1u;
override THRESHOLD: u32 = 0u;
override SCALE: f32 = 1.0;
override LAYER: u32 = 0u;

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> step: StepState;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

fn maskScale(i: u32, base: u32) -> f32 {
  return select(0.0, SCALE, (pcg(i + base) >> 8u) >= THRESHOLD);
}

/**
 * Grid-stride over elements: forward y = x * keep / (1 - rate), and (same linear map) backward
 * dX = dY * keep / (1 - rate). Bindings: src (x or dY), STEP, dst (y or dX).
 * Dispatch (min(ceil(COUNT / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn apply(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let base = pcg(step[STEP_SEED] + LAYER * 0x9E3779B9u + step[STEP_STEP] * 0x85EBCA6Bu);
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) {
    dst[i] = src[i] * maskScale(i, base);
  }
}

@group(0) @binding(0) var<storage, read> cx: array<f32>;
@group(0) @binding(1) var<storage, read_write> cy: array<f32>;

/** Inference (identity) when y is its own buffer: y = x, grid-stride. Dispatch as `apply`. */
@compute @workgroup_size(WG)
fn copy(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  for (var i = gid.x; i < COUNT; i += nwg.x * WG) {
    cy[i] = cx[i];
  }
}
