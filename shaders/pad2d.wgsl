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

/** The border: (0, TOP, LEFT, 0), what y's NHWC position is ahead of x's. */
fn border() -> vec4<u32> {
  return vec4<u32>(0u, TOP, LEFT, 0u);
}

//! bindings x -> y

/** Grid-stride over y: y[b, oy, ox, c] = x[b, oy - TOP, ox - LEFT, c] inside, 0 in the border. Dispatch (min(ceil(|y| / WG), 1024), 1, 1). */
//! grid_stride forward(BATCH * OH * OW * C)
fn forward_at(i: u32) {
  // Wraps past H (or W) when in the top (or left) border.
  let p = nhwcOf(i, OH, OW, C) - border();
  var v = 0.0;
  if (p.y < H && p.z < W) { v = x[nhwcAt(p, H, W, C)]; }
  y[i] = v;
}

//! bindings dy -> dx

/** Grid-stride over x: dX[b, iy, ix, c] = dY[b, iy + TOP, ix + LEFT, c]. Dispatch (min(ceil(|x| / WG), 1024), 1, 1). */
//! grid_stride backward(BATCH * H * W * C)
fn backward_at(i: u32) { dx[i] = dy[nhwcAt(nhwcOf(i, H, W, C) + border(), OH, OW, C)]; }
