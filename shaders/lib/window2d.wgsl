// A 2-D sliding window over an NHWC input [BATCH, H, W, channels] (pooling, depthwise convolution), as signed
// `override` constants so window edges may fall outside the input. TensorFlow's padding rule: window (oy, ox)
// covers rows oy * SH - TOP .. + KH - 1 and columns ox * SW - LEFT .. + KW - 1 (src/ops/common.ts axisPlan).
// Uses math (floorDiv).
//! use math

override BATCH: u32 = 1u;
override H: i32 = 1;   override W: i32 = 1;    // input rows, columns
override OH: i32 = 1;  override OW: i32 = 1;   // output rows, columns (windows)
override KH: i32 = 1;  override KW: i32 = 1;   // window rows, columns
override SH: i32 = 1;  override SW: i32 = 1;   // strides
override TOP: i32 = 0; override LEFT: i32 = 0; // padding rows before, columns before

struct Win { y0: i32, y1: i32, x0: i32, x1: i32 }

/** The input rows [y0, y1) and columns [x0, x1) that window (oy, ox) covers, clipped to the input. */
fn window(oy: i32, ox: i32) -> Win {
  let sy = oy * SH - TOP;
  let sx = ox * SW - LEFT;
  return Win(max(sy, 0), min(sy + KH, H), max(sx, 0), min(sx + KW, W));
}

/** The windows covering input cell (iy, ix): rows [y0, y1) and columns [x0, x1) of the OH x OW output. */
fn windowsOver(iy: i32, ix: i32) -> Win {
  return Win(
    max(floorDiv(iy + TOP - KH, SH) + 1, 0),
    min(floorDiv(iy + TOP, SH) + 1, OH),
    max(floorDiv(ix + LEFT - KW, SW) + 1, 0),
    min(floorDiv(ix + LEFT, SW) + 1, OW),
  );
}

/** Flat index of input element (b, iy, ix, c) of a tensor with `ch` channels (iy, ix inside the input). */
fn inputAt(b: u32, iy: i32, ix: i32, c: u32, ch: u32) -> u32 {
  return ((b * u32(H) + u32(iy)) * u32(W) + u32(ix)) * ch + c;
}
