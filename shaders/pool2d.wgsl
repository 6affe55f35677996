// MaxPooling2D / AveragePooling2D over NHWC, forward and backward, with TensorFlow's padding rule: window
// (oy, ox) covers rows oy*SH - TOP .. + PH - 1 and columns ox*SW - LEFT .. + PW - 1, clipped to the input.
// Max: padding never wins; ties go to the first cell in row-major window order. Avg: divides by the number of
// in-bounds cells. Backward gathers (each input element visits the windows that cover it), so no atomics and
// nothing saved: the max winner is recomputed from x. Sizes are `override` constants (no Params uniform).
//! use nhwc

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override H: i32 = 1;
override W: i32 = 1;
override C: u32 = 1u;
override OH: i32 = 1;
override OW: i32 = 1;
override PH: i32 = 1;
override PW: i32 = 1;
override SH: i32 = 1;
override SW: i32 = 1;
override TOP: i32 = 0;
override LEFT: i32 = 0;
override IS_MAX: bool = true;

struct Win { y0: i32, y1: i32, x0: i32, x1: i32 }

fn window(oy: i32, ox: i32) -> Win {
  let sy = oy * SH - TOP;
  let sx = ox * SW - LEFT;
  return Win(max(sy, 0), min(sy + PH, H), max(sx, 0), min(sx + PW, W));
}

fn xIndex(b: u32, iy: i32, ix: i32, c: u32) -> u32 {
  return ((b * u32(H) + u32(iy)) * u32(W) + u32(ix)) * C + c;
}

// x is binding 0 of every entry point (argmax reads it forward and backward).
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

/** Flat index of the max cell of window w (first maximum in row-major order). */
fn argmax(b: u32, w: Win, c: u32) -> u32 {
  var best = xIndex(b, w.y0, w.x0, c);
  var bestValue = x[best];
  for (var iy = w.y0; iy < w.y1; iy++) {
    for (var ix = w.x0; ix < w.x1; ix++) {
      let i = xIndex(b, iy, ix, c);
      if (x[i] > bestValue) {
        best = i;
        bestValue = x[i];
      }
    }
  }
  return best;
}

/** Grid-stride over y: one element y[b, oy, ox, c] = max or mean of its window. Dispatch (min(ceil(|y| / WG), 1024), 1, 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = BATCH * u32(OH * OW) * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let p = nhwcOf(i, u32(OH), u32(OW), C); // (b, oy, ox, c)
    let w = window(i32(p.y), i32(p.z));
    if (IS_MAX) {
      y[i] = x[argmax(p.x, w, p.w)];
    } else {
      var s = 0.0;
      for (var iy = w.y0; iy < w.y1; iy++) {
        for (var ix = w.x0; ix < w.x1; ix++) { s += x[xIndex(p.x, iy, ix, p.w)]; }
      }
      y[i] = s / f32((w.y1 - w.y0) * (w.x1 - w.x0));
    }
  }
}

@group(0) @binding(1) var<storage, read> bdy: array<f32>;
@group(0) @binding(2) var<storage, read_write> bdx: array<f32>;

/** floor(a / b) for b > 0 and any sign of a. */
fn floorDiv(a: i32, b: i32) -> i32 {
  return select((a - b + 1) / b, a / b, a >= 0);
}

/**
 * Grid-stride over x: dX[b, iy, ix, c] = sum over the windows covering (iy, ix) of dY (max: only where this
 * cell is the window's winner; avg: dY / cell count). Windows covering iy: oy in
 * [ceil((iy + TOP - PH + 1) / SH), floor((iy + TOP) / SH)] within [0, OH). Dispatch (min(ceil(|x| / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = BATCH * u32(H * W) * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let p = nhwcOf(i, u32(H), u32(W), C);
    let b = p.x;
    let c = p.w;
    let iy = i32(p.y);
    let ix = i32(p.z);
    let oy0 = max(floorDiv(iy + TOP - PH, SH) + 1, 0);
    let oy1 = min(floorDiv(iy + TOP, SH), OH - 1);
    let ox0 = max(floorDiv(ix + LEFT - PW, SW) + 1, 0);
    let ox1 = min(floorDiv(ix + LEFT, SW), OW - 1);
    var g = 0.0;
    for (var oy = oy0; oy <= oy1; oy++) {
      for (var ox = ox0; ox <= ox1; ox++) {
        let w = window(oy, ox);
        let d = bdy[((b * u32(OH) + u32(oy)) * u32(OW) + u32(ox)) * C + c];
        if (IS_MAX) {
          if (argmax(b, w, c) == i) { g += d; }
        } else {
          g += d / f32((w.y1 - w.y0) * (w.x1 - w.x0));
        }
      }
    }
    bdx[i] = g;
  }
}

/**
 * Grid-stride over y, for windows that tile the input exactly (stride = pool size, every cell in exactly one
 * window): invocation (b, oy, ox, c) writes its whole window of dX, dY to the max winner and 0 elsewhere
 * (avg: dY / cell count everywhere). One argmax per window instead of one per cell as in `backward`.
 * Dispatch (min(ceil(|y| / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward_windows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let count = BATCH * u32(OH * OW) * C;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let p = nhwcOf(i, u32(OH), u32(OW), C); // (b, oy, ox, c)
    let w = window(i32(p.y), i32(p.z));
    let d = bdy[i];
    if (IS_MAX) {
      let best = argmax(p.x, w, p.w);
      for (var iy = w.y0; iy < w.y1; iy++) {
        for (var ix = w.x0; ix < w.x1; ix++) {
          let j = xIndex(p.x, iy, ix, p.w);
          bdx[j] = select(0.0, d, j == best);
        }
      }
    } else {
      let share = d / f32((w.y1 - w.y0) * (w.x1 - w.x0));
      for (var iy = w.y0; iy < w.y1; iy++) {
        for (var ix = w.x0; ix < w.x1; ix++) { bdx[xIndex(p.x, iy, ix, p.w)] = share; }
      }
    }
  }
}
