// ZeroPadding2D over NHWC: y is x with TOP/BOTTOM rows and LEFT/RIGHT columns of zeros around it; backward
// crops dY back to the input. Sizes are `override` constants (no Params uniform).
//! use nhwc

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override H: u32 = 1u;
override W: u32 = 1u;
override C: u32 = 1u;
override OH: u32 = 1u; // H + TOP + BOTTOM
override OW: u32 = 1u; // W + LEFT + RIGHT
override TOP: u32 = 0u;
override LEFT: u32 = 0u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

/** Grid-stride over y: y[b, oy, ox, c] = x[b, oy - TOP, ox - LEFT, c] inside, 0 in the border. Dispatch (min(ceil(|y| / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = BATCH * OH * OW * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    // Wraps past H (or W) when in the top (or left) border.
    let p = nhwcOf(i, OH, OW, C) - vec4<u32>(0u, TOP, LEFT, 0u);
    var v = 0.0;
    if (p.y < H && p.z < W) { v = x[nhwcAt(p, H, W, C)]; }
    y[i] = v;
  }
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;

/** Grid-stride over x: dX[b, iy, ix, c] = dY[b, iy + TOP, ix + LEFT, c]. Dispatch (min(ceil(|x| / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = BATCH * H * W * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    dx[i] = dy[nhwcAt(nhwcOf(i, H, W, C) + vec4<u32>(0u, TOP, LEFT, 0u), OH, OW, C)];
  }
}
