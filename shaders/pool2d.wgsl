// MaxPooling2D / AveragePooling2D over NHWC, forward and backward, with TensorFlow's padding rule (the window
// geometry, `window` and `windowsOver` come from shaders/lib/window2d.wgsl; KH x KW is the pool size).
// Max: padding never wins; ties go to the first cell in row-major window order. Avg: divides by the number of
// in-bounds cells. Backward gathers (each input element visits the windows that cover it), so no atomics and
// nothing saved: the max winner is recomputed from x. Sizes are `override` constants (no Params uniform); bindings
// and entry points come from the `//!` lines (src/gpu/shaders.ts).
//! use nhwc window2d

override WG: u32 = 64u;
override C: u32 = 1u;
override IS_MAX: bool = true;

fn xIndex(b: u32, iy: i32, ix: i32, c: u32) -> u32 {
  return inputAt(b, iy, ix, c, C);
}

// x is binding 0 of every entry point (argmax reads it forward and backward).
//! bindings x -> y

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

/** The mean of window w of channel c in sample b. */
fn windowMean(b: u32, w: Win, c: u32) -> f32 {
  var s = 0.0;
  for (var iy = w.y0; iy < w.y1; iy++) {
    for (var ix = w.x0; ix < w.x1; ix++) { s += x[xIndex(b, iy, ix, c)]; }
  }
  return s / cells(w);
}

/** Cells in window w (clipped to the input): the divisor of the average. */
fn cells(w: Win) -> f32 {
  return f32((w.y1 - w.y0) * (w.x1 - w.x0));
}

/** Grid-stride over y: one element y[b, oy, ox, c] = max or mean of its window. Dispatch (min(ceil(|y| / WG), 1024), 1, 1). */
//! grid_stride forward(BATCH * u32(OH * OW) * C)
fn forward_at(i: u32) {
  let p = nhwcOf(i, u32(OH), u32(OW), C); // (b, oy, ox, c)
  let w = window(i32(p.y), i32(p.z));
  if (IS_MAX) {
    y[i] = x[argmax(p.x, w, p.w)];
  } else {
    y[i] = windowMean(p.x, w, p.w);
  }
}

//! bindings _ bdy -> bdx

/**
 * Grid-stride over x: dX[b, iy, ix, c] = sum over the windows covering (iy, ix) of dY (max: only where this
 * cell is the window's winner; avg: dY / cell count). Windows covering iy: oy in
 * [ceil((iy + TOP - KH + 1) / SH), floor((iy + TOP) / SH)] within [0, OH). Dispatch (min(ceil(|x| / WG), 1024), 1, 1).
 */
//! grid_stride backward(BATCH * u32(H * W) * C)
fn backward_at(i: u32) {
  let p = nhwcOf(i, u32(H), u32(W), C);
  let b = p.x;
  let c = p.w;
  let iy = i32(p.y);
  let ix = i32(p.z);
  let over = windowsOver(iy, ix);
  var g = 0.0;
  for (var oy = over.y0; oy < over.y1; oy++) {
    for (var ox = over.x0; ox < over.x1; ox++) {
      let w = window(oy, ox);
      let d = bdy[nhwcAt(vec4<u32>(b, u32(oy), u32(ox), c), u32(OH), u32(OW), C)];
      if (IS_MAX) {
        if (argmax(b, w, c) == i) { g += d; }
      } else {
        g += d / cells(w);
      }
    }
  }
  bdx[i] = g;
}

/**
 * Grid-stride over y, for windows that tile the input exactly (stride = pool size, every cell in exactly one
 * window): invocation (b, oy, ox, c) writes its whole window of dX, dY to the max winner and 0 elsewhere
 * (avg: dY / cell count everywhere). One argmax per window instead of one per cell as in `backward`.
 * Dispatch (min(ceil(|y| / WG), 1024), 1, 1).
 */
//! grid_stride backward_windows(BATCH * u32(OH * OW) * C)
fn backward_windows_at(i: u32) {
  let p = nhwcOf(i, u32(OH), u32(OW), C); // (b, oy, ox, c)
  let w = window(i32(p.y), i32(p.z));
  let d = bdy[i];
  // Max: dY at the winner, 0 elsewhere; avg: the share everywhere (best matches no cell).
  var best = 0xffffffffu;
  var rest = d / cells(w);
  if (IS_MAX) {
    best = argmax(p.x, w, p.w);
    rest = 0.0;
  }
  for (var iy = w.y0; iy < w.y1; iy++) {
    for (var ix = w.x0; ix < w.x1; ix++) {
      let j = xIndex(p.x, iy, ix, p.w);
      bdx[j] = select(rest, d, j == best);
    }
  }
}
