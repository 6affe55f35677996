// GlobalAveragePooling2D / GlobalMaxPooling2D: [BATCH, H, W, C] -> [BATCH, C], the mean or the max over each
// channel's H*W pixels. Max ties split the gradient evenly (TensorFlow's reduce_max gradient, which Keras 3's
// GlobalMaxPooling2D inherits). No workgroup memory or barriers: one family for GPUs and CPU adapters.
// Sizes are `override` constants (no Params uniform).

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override HW: u32 = 1u; // H * W
override C: u32 = 1u;
override IS_MAX: bool = false;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

/**
 * One invocation: y[b, c] = sum_p x[b, p, c] / HW, or max_p x[b, p, c] (consecutive invocations read consecutive
 * channels). Dispatch (ceil(BATCH * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= BATCH * C) { return; }
  let c = i % C;
  let b = i / C;
  if (IS_MAX) {
    var m = x[b * HW * C + c];
    for (var p = 1u; p < HW; p++) { m = max(m, x[(b * HW + p) * C + c]); }
    y[i] = m;
    return;
  }
  var s = 0.0;
  for (var p = 0u; p < HW; p++) { s += x[(b * HW + p) * C + c]; }
  y[i] = s / f32(HW);
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;

/** Average, grid-stride over x: dX[b, p, c] = dY[b, c] / HW. Dispatch (min(ceil(|x| / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = BATCH * HW * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let c = i % C;
    let b = i / (C * HW);
    dx[i] = dy[b * C + c] / f32(HW);
  }
}

@group(0) @binding(0) var<storage, read> mx: array<f32>;
@group(0) @binding(1) var<storage, read> mdy: array<f32>;
@group(0) @binding(2) var<storage, read_write> mdx: array<f32>;

/**
 * Max, one invocation per (b, c): writes the whole column dX[b, :, c]: dY[b, c] / k at the k cells equal to the
 * maximum, 0 elsewhere (the max is recomputed from x, nothing is saved). Dispatch (ceil(BATCH * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward_max(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= BATCH * C) { return; }
  let c = i % C;
  let base = (i / C) * HW * C + c;
  var m = mx[base];
  for (var p = 1u; p < HW; p++) { m = max(m, mx[base + p * C]); }
  var ties = 0.0;
  for (var p = 0u; p < HW; p++) { ties += select(0.0, 1.0, mx[base + p * C] == m); }
  let share = mdy[i] / ties;
  for (var p = 0u; p < HW; p++) { mdx[base + p * C] = select(0.0, share, mx[base + p * C] == m); }
}
