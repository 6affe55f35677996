// GlobalAveragePooling2D: [BATCH, H, W, C] -> [BATCH, C], the mean over each channel's H*W pixels.
// Sizes are `override` constants (no Params uniform).

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override HW: u32 = 1u; // H * W
override C: u32 = 1u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

/**
 * One invocation: y[b, c] = sum_p x[b, p, c] / HW (consecutive invocations read consecutive channels).
 * Dispatch (ceil(BATCH * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= BATCH * C) { return; }
  let c = i % C;
  let b = i / C;
  var s = 0.0;
  for (var p = 0u; p < HW; p++) { s += x[(b * HW + p) * C + c]; }
  y[i] = s / f32(HW);
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;

/** Grid-stride over x: dX[b, p, c] = dY[b, c] / HW. Dispatch (min(ceil(|x| / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = BATCH * HW * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let c = i % C;
    let b = i / (C * HW);
    dx[i] = dy[b * C + c] / f32(HW);
  }
}
