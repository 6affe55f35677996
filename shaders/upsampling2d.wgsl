// UpSampling2D, nearest: [BATCH, H, W, C] -> [BATCH, H * SH, W * SW, C], each pixel repeated as an SH x SW
// block. Forward copies, backward sums each block (a gather per input cell: no atomics, no barriers; one family
// for GPUs and CPU adapters). Sizes are `override` constants (no Params uniform).

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override H: u32 = 1u;
override W: u32 = 1u;
override C: u32 = 1u;
override SH: u32 = 1u;
override SW: u32 = 1u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

/**
 * Grid-stride over y: y[b, oy, ox, c] = x[b, oy / SH, ox / SW, c].
 * Dispatch (min(ceil(BATCH * H * SH * W * SW * C / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let ow = W * SW;
  let oh = H * SH;
  let count = BATCH * oh * ow * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let c = i % C;
    let ox = (i / C) % ow;
    let oy = (i / (C * ow)) % oh;
    let b = i / (C * ow * oh);
    y[i] = x[((b * H + oy / SH) * W + ox / SW) * C + c];
  }
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;

/**
 * Grid-stride over x: dX[b, iy, ix, c] = sum_{u < SH, v < SW} dY[b, iy * SH + u, ix * SW + v, c] (the gradient
 * of a copy is the sum over the copies). Dispatch (min(ceil(BATCH * H * W * C / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let ow = W * SW;
  let count = BATCH * H * W * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let c = i % C;
    let ix = (i / C) % W;
    let iy = (i / (C * W)) % H;
    let b = i / (C * W * H);
    var s = 0.0;
    for (var u = 0u; u < SH; u++) {
      let row = (b * H * SH + iy * SH + u) * ow;
      for (var v = 0u; v < SW; v++) { s += dy[(row + ix * SW + v) * C + c]; }
    }
    dx[i] = s;
  }
}
