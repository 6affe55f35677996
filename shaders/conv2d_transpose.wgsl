// Conv2DTranspose's own passes; its GEMMs are conv2d's kernels (src/ops/conv2d_transpose.ts): the forward is a
// Conv2D's dX and the backward a Conv2D forward plus dK. What they leave out is here: the bias and the activation
// (fused for activations whose derivative follows from y) on the forward's output, and dBias, a per-channel sum
// of dZ over ROWS = BATCH * OH * OW rows in two atomic-free levels (PARTS partial sums of CHUNK rows, then one
// invocation per channel). No workgroup memory or barriers: one family for GPUs and CPU adapters.
// Sizes are `override` constants (no Params uniform).
//! use act

override WG: u32 = 64u;
override ROWS: u32 = 1u;
override C: u32 = 1u;
override PARTS: u32 = 1u;
override CHUNK: u32 = 1u;

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

/** Grid-stride over y: y[r, c] = act(z[r, c] + bias[c]). Dispatch (min(ceil(ROWS * C / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn bias_act(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = ROWS * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) { y[i] = act(z[i] + bias[i % C]); }
}

@group(0) @binding(0) var<storage, read> pDz: array<f32>;
@group(0) @binding(1) var<storage, read_write> pPartial: array<f32>;

/**
 * One invocation: partial[p, c] = sum of dZ[r, c] over rows r in [p * CHUNK, (p + 1) * CHUNK) of ROWS.
 * Dispatch (ceil(PARTS * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn bias_grad_partial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= PARTS * C) { return; }
  let c = i % C;
  let p = i / C;
  var s = 0.0;
  for (var r = p * CHUNK; r < min((p + 1u) * CHUNK, ROWS); r++) { s += pDz[r * C + c]; }
  pPartial[i] = s;
}

@group(0) @binding(0) var<storage, read> rPartial: array<f32>;
@group(0) @binding(1) var<storage, read_write> rDbias: array<f32>;

/** One invocation per channel: dBias[c] = sum_p partial[p, c]. Dispatch (ceil(C / WG), 1, 1). */
@compute @workgroup_size(WG)
fn bias_grad_reduce(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= C) { return; }
  var s = 0.0;
  for (var p = 0u; p < PARTS; p++) { s += rPartial[p * C + c]; }
  rDbias[c] = s;
}
