// DepthwiseConv2D over NHWC with the Keras kernel [KH, KW, CIN, MULT]: output channel o = ci * MULT + m sees
// input channel ci only, COUT = CIN * MULT. Window (oy, ox) starts at (oy * SH - TOP, ox * SW - LEFT); taps
// outside x read 0 ('same'). Each invocation gathers (no atomics, no workgroup memory, no barriers: the same
// kernels serve GPUs and CPU adapters; see src/ops/depthwise_conv2d.ts). The activation (ACT, ALPHA) is fused
// into forward when its derivative follows from y; the op computes dZ = dY * act'(z) before the backward passes.
// dK and dBias reduce over BATCH * OH * OW output pixels in two levels: PARTS partial sums of CHUNK pixels each,
// then one invocation per weight adds the PARTS partials.
// Sizes are `override` constants (no Params uniform); bindings and entry points come from the `//!` lines
// (src/gpu/shaders.ts). The window geometry (BATCH, H, W, OH, OW, KH, KW, SH, SW, TOP, LEFT), inputAt and
// floorDiv come from shaders/lib/window2d.wgsl, nhwcOf from nhwc.
//! use act nhwc window2d

override WG: u32 = 64u;
override CIN: u32 = 1u;
override MULT: u32 = 1u;
override PARTS: u32 = 1u;
override CHUNK: u32 = 1u;

fn cout() -> u32 { return CIN * MULT; }

//! bindings fX fK fBias -> fY

/**
 * Grid-stride over y: y[b, oy, ox, o] = act(bias[o] + sum_{ky,kx} x[b, iy, ix, o / MULT] K[ky, kx, o / MULT, o % MULT])
 * with iy = oy * SH - TOP + ky, ix = ox * SW - LEFT + kx in bounds.
 * Dispatch (min(ceil(BATCH * OH * OW * COUT / WG), 1024), 1, 1).
 */
//! grid_stride forward(BATCH * u32(OH * OW) * cout())
fn forward_at(i: u32) {
  let co = cout();
  let q = nhwcOf(i, u32(OH), u32(OW), co); // (b, oy, ox, o)
  let w = window(i32(q.y), i32(q.z));
  // The window's first cell (maybe outside x): input cell (iy, ix) is tap (iy - sy, ix - sx).
  let sy = i32(q.y) * SH - TOP;
  let sx = i32(q.z) * SW - LEFT;
  var s = fBias[q.w];
  for (var iy = w.y0; iy < w.y1; iy++) {
    for (var ix = w.x0; ix < w.x1; ix++) {
      s += fX[inputAt(q.x, iy, ix, q.w / MULT, CIN)] * fK[u32((iy - sy) * KW + ix - sx) * co + q.w];
    }
  }
  fY[i] = act(s);
}

//! bindings dxDz dxK -> dxOut

/**
 * Grid-stride over x: dX[b, iy, ix, ci] = sum over taps (ky, kx) whose output pixel
 * oy = (iy + TOP - ky) / SH, ox = (ix + LEFT - kx) / SW is whole and in range, and over m < MULT, of
 * dZ[b, oy, ox, ci * MULT + m] K[ky, kx, ci, m]. Dispatch (min(ceil(BATCH * H * W * CIN / WG), 1024), 1, 1).
 */
//! grid_stride backward_dx(BATCH * u32(H * W) * CIN)
fn backward_dx_at(i: u32) {
  let co = cout();
  let q = nhwcOf(i, u32(H), u32(W), CIN); // (b, iy, ix, ci)
  let ci = q.w;
  let iy = i32(q.y);
  let ix = i32(q.z);
  var g = 0.0;
  // Taps ky with (iy + TOP - ky) a multiple of SH: start at the first such ky >= 0 and step by SH.
  let ky0 = (iy + TOP) - SH * floorDiv(iy + TOP, SH);
  let kx0 = (ix + LEFT) - SW * floorDiv(ix + LEFT, SW);
  for (var ky = ky0; ky < KH; ky += SH) {
    let oy = (iy + TOP - ky) / SH;
    if (oy < 0 || oy >= OH) { continue; }
    for (var kx = kx0; kx < KW; kx += SW) {
      let ox = (ix + LEFT - kx) / SW;
      if (ox < 0 || ox >= OW) { continue; }
      let zBase = ((q.x * u32(OH) + u32(oy)) * u32(OW) + u32(ox)) * co + ci * MULT;
      let kBase = u32(ky * KW + kx) * co + ci * MULT;
      for (var m = 0u; m < MULT; m++) { g += dxDz[zBase + m] * dxK[kBase + m]; }
    }
  }
  dxOut[i] = g;
}

//! bindings pX pDz -> pPartial

/**
 * One invocation: weight j = t * COUT + o (tap t = ky * KW + kx; t = KH * KW is the bias) over part p, the
 * output pixels q in [p * CHUNK, (p + 1) * CHUNK): partial[p, j] = sum_q dZ[q, o] * x[tap t of q, o / MULT]
 * (bias: sum_q dZ[q, o]). Dispatch (ceil(PARTS * (KH * KW + 1) * COUT / WG), 1, 1).
 */
//! each backward_dw_partial(PARTS * u32(KH * KW + 1) * cout())
fn backward_dw_partial_at(i: u32) {
  let co = cout();
  let weights = u32(KH * KW + 1) * co;
  let j = i % weights;
  let p = i / weights;
  let o = j % co;
  let t = i32(j / co);
  let ci = o / MULT;
  let pixels = BATCH * u32(OH * OW);
  let end = min((p + 1u) * CHUNK, pixels);
  var s = 0.0;
  if (t == KH * KW) {
    for (var q = p * CHUNK; q < end; q++) { s += pDz[q * co + o]; }
  } else {
    let ky = t / KW;
    let kx = t % KW;
    for (var q = p * CHUNK; q < end; q++) {
      let pix = nhwcOf(q, u32(OH), u32(OW), 1u); // (b, oy, ox, 0)
      let iy = i32(pix.y) * SH - TOP + ky;
      let ix = i32(pix.z) * SW - LEFT + kx;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) { continue; }
      s += pDz[q * co + o] * pX[inputAt(pix.x, iy, ix, ci, CIN)];
    }
  }
  pPartial[i] = s;
}

//! bindings rPartial -> rDk rDbias

/**
 * One invocation per weight j < (KH * KW + 1) * COUT: the sum over parts of partial[p, j], written to
 * dK[j] (Keras layout [KH, KW, CIN, MULT] flattens to t * COUT + o) or, for the bias row, dBias[o].
 * Dispatch (ceil((KH * KW + 1) * COUT / WG), 1, 1).
 */
//! each backward_dw_reduce(u32(KH * KW + 1) * cout())
fn backward_dw_reduce_at(j: u32) {
  let taps = u32(KH * KW) * cout();
  var s = 0.0;
  for (var p = 0u; p < PARTS; p++) { s += rPartial[p * (taps + cout()) + j]; }
  if (j < taps) {
    rDk[j] = s;
  } else {
    rDbias[j - taps] = s;
  }
}

// ---- 3x3, depth_multiplier 1 (MobileNet's depthwise layers): four outputs along x per invocation ----
// (forward and dK for strides 1 and 2 (S3), dX by backward_dx3x3 / backward_dx3x3s2; the other cases take the
// kernels above)
// out[b, y, x, c] = sum_{a, j < 3} src[b, y + a - PT, x + j - PL, c] * tap(a, j, c), src reads outside its
// SRC_H x SRC_W being 0. Forward: src = x, tap = K[a, j], (PT, PL) = (TOP, LEFT). dX: src = dZ, tap = K[2 - a, 2 - j]
// (the kernel flipped), (PT, PL) = (2 - TOP, 2 - LEFT). A row of six src values serves the four outputs' three
// taps, so each value and tap is loaded once per invocation instead of once per output.
override SRC_H: i32 = 1; override SRC_W: i32 = 1; // the source: x (forward, dK) or dZ (dX)
override DST_H: i32 = 1; override DST_W: i32 = 1; // the destination: y (forward, dK) or dX
override PT: i32 = 0;    override PL: i32 = 0;    // padding rows, columns before the source
/** Stride (both axes) of forward3x3 and backward_dw3x3_partial: 1 or 2. */
override S3: i32 = 1;

/** Sums of the three taps k over the windows starting at a[0..3] of the six values a, b. */
fn taps3(a: vec4<f32>, b: vec2<f32>, k: vec3<f32>) -> vec4<f32> {
  return a * k.x + vec4<f32>(a.yzw, b.x) * k.y + vec4<f32>(a.zw, b) * k.z;
}

/** Invocations of the four-output kernels: BATCH * DST_H * ceil(DST_W / 4) * CIN. */
fn blocks4() -> u32 {
  return BATCH * u32(DST_H * ((DST_W + 3) / 4)) * CIN;
}

/** (b, y, x0, c) of invocation i over BATCH * DST_H * ceil(DST_W / 4) * C, channel fastest. */
fn block4(i: u32, c: u32) -> vec4<i32> {
  let wb = u32((DST_W + 3) / 4);
  let rest = i / c;
  return vec4<i32>(i32(rest / (wb * u32(DST_H))), i32((rest / wb) % u32(DST_H)), i32(rest % wb) * 4, 0);
}

/** The first of invocation p's four outputs, out[b, y, x0, c], and how many of them are inside DST_W. */
fn block4Out(p: vec4<i32>, c: u32) -> vec2<u32> {
  return vec2<u32>(u32((p.x * DST_H + p.y) * DST_W + p.z) * CIN + c, u32(min(4, DST_W - p.z)));
}

// src (x or dZ) is binding 0 and the kernel binding 1 of forward3x3 and both dX kernels.
//! bindings src3 k3 f3Bias -> f3Y

/** src[b, y, x, c], 0 outside the SRC_W columns (callers check the row). */
fn src3Load(b: i32, y: i32, x: i32, c: u32) -> f32 {
  if (x < 0 || x >= SRC_W) { return 0.0; }
  return src3[u32((b * SRC_H + y) * SRC_W + x) * CIN + c];
}

/**
 * Forward, 3x3 stride S3 (1 or 2) multiplier 1: one invocation writes y[b, oy, ox0 .. ox0 + 3, c] =
 * act(bias[c] + taps), from rows oy * S3 - PT + a and the 3 S3 + 3 columns from ox0 * S3 - PL.
 * Dispatch (min(ceil(BATCH * OH * ceil(OW / 4) * CIN / WG), 1024), 1, 1), grid-stride.
 */
//! grid_stride forward3x3(blocks4())
fn forward3x3_at(i: u32) {
  let c = i % CIN;
  let p = block4(i, CIN);
  var acc = vec4<f32>(f3Bias[c]);
  for (var a = 0; a < 3; a++) {
    let sy = p.y * S3 + a - PT;
    if (sy < 0 || sy >= SRC_H) { continue; }
    let x0 = p.z * S3 - PL;
    let t = u32(a * 3) * CIN + c;
    let k = vec3<f32>(k3[t], k3[t + CIN], k3[t + 2u * CIN]);
    let v = vec4<f32>(src3Load(p.x, sy, x0, c), src3Load(p.x, sy, x0 + 1, c), src3Load(p.x, sy, x0 + 2, c), src3Load(p.x, sy, x0 + 3, c));
    let w = vec4<f32>(src3Load(p.x, sy, x0 + 4, c), src3Load(p.x, sy, x0 + 5, c), 0.0, 0.0);
    if (S3 == 1) {
      acc += taps3(v, w.xy, k);
    } else {
      // Stride 2: output r reads columns 2r .. 2r + 2 of the nine x0 .. x0 + 8.
      let x6 = src3Load(p.x, sy, x0 + 6, c);
      let x7 = src3Load(p.x, sy, x0 + 7, c);
      let x8 = src3Load(p.x, sy, x0 + 8, c);
      acc += vec4<f32>(v.x, v.z, w.x, x6) * k.x + vec4<f32>(v.y, v.w, w.y, x7) * k.y +
        vec4<f32>(v.z, w.x, x6, x8) * k.z;
    }
  }
  let out = block4Out(p, c);
  for (var r = 0u; r < 4u; r++) {
    if (r < out.y) { f3Y[out.x + r * CIN] = act(acc[r]); }
  }
}

//! bindings _ _ -> d3Dx

/** dX[b, y, x0 + r, c] = acc[r] for the four outputs of invocation p that are inside DST_W. */
fn storeDx4(p: vec4<i32>, c: u32, acc: vec4<f32>) {
  let out = block4Out(p, c);
  for (var r = 0u; r < 4u; r++) {
    if (r < out.y) { d3Dx[out.x + r * CIN] = acc[r]; }
  }
}

/**
 * dX, 3x3 stride 1 multiplier 1: one invocation writes dX[b, iy, ix0 .. ix0 + 3, c], the flipped-kernel taps over
 * dZ: dX[iy, ix] = sum_{ky,kx} dZ[iy + TOP - ky, ix + LEFT - kx] K[ky, kx].
 * Dispatch (min(ceil(BATCH * H * ceil(W / 4) * CIN / WG), 1024), 1, 1), grid-stride.
 */
//! grid_stride backward_dx3x3(blocks4())
fn backward_dx3x3_at(i: u32) {
  let c = i % CIN;
  let p = block4(i, CIN);
  var acc = vec4<f32>(0.0);
  for (var a = 0; a < 3; a++) {
    let sy = p.y + a - PT;
    if (sy < 0 || sy >= SRC_H) { continue; }
    let x0 = p.z - PL;
    let row = vec4<f32>(src3Load(p.x, sy, x0, c), src3Load(p.x, sy, x0 + 1, c), src3Load(p.x, sy, x0 + 2, c), src3Load(p.x, sy, x0 + 3, c));
    let tail = vec2<f32>(src3Load(p.x, sy, x0 + 4, c), src3Load(p.x, sy, x0 + 5, c));
    let t = u32((2 - a) * 3) * CIN + c;
    acc += taps3(row, tail, vec3<f32>(k3[t + 2u * CIN], k3[t + CIN], k3[t]));
  }
  storeDx4(p, c, acc);
}

/**
 * dX, 3x3 stride 2 multiplier 1: one invocation writes dX[b, iy, ix0 .. ix0 + 3, c] = sum over the taps (ky, kx)
 * whose output pixel oy = (iy + PT - ky) / 2, ox = (ix + PL - kx) / 2 is whole and in range of
 * dZ[b, oy, ox, c] K[ky, kx, c] (here PT, PL are the forward's TOP, LEFT; SRC = dZ, DST = dX).
 * Dispatch (min(ceil(BATCH * H * ceil(W / 4) * CIN / WG), 1024), 1, 1), grid-stride.
 */
//! grid_stride backward_dx3x3s2(blocks4())
fn backward_dx3x3s2_at(i: u32) {
  let c = i % CIN;
  let p = block4(i, CIN);
  var acc = vec4<f32>(0.0);
  // Only taps ky with p.y + PT - ky even reach a whole output row: every other one from the parity of p.y + PT.
  for (var ky = (p.y + PT) & 1; ky < 3; ky += 2) {
    let oy = (p.y + PT - ky) / 2;
    if (oy < 0 || oy >= SRC_H) { continue; }
    let t = u32(ky * 3) * CIN + c;
    let k = vec3<f32>(k3[t], k3[t + CIN], k3[t + 2u * CIN]);
    for (var r = 0; r < 4; r++) {
      var g = 0.0;
      for (var kx = 0; kx < 3; kx++) {
        let tx = p.z + r + PL - kx;
        if (tx >= 0 && (tx & 1) == 0) { g += src3Load(p.x, oy, tx / 2, c) * k[kx]; }
      }
      acc[r] += g;
    }
  }
  storeDx4(p, c, acc);
}

// x is src3 (binding 0).
//! bindings _ w3Dz -> w3Partial

/** x[b, y, x, c], 0 outside SRC_H x SRC_W. */
fn w3Load(b: i32, y: i32, x: i32, c: u32) -> f32 {
  if (y < 0 || y >= SRC_H) { return 0.0; }
  return src3Load(b, y, x, c);
}

/**
 * dK and dBias partials, 3x3 stride S3 (1 or 2) multiplier 1: one invocation per (part p, channel c) walks the
 * output rows
 * [p * CHUNK, (p + 1) * CHUNK) of BATCH * DST_H (DST = the output y, SRC = x here), sliding a 3x3 window of x
 * along each row (three new loads per pixel), and writes partial[p, t * C + c] = sum dZ * x[tap t] for the nine
 * taps and partial[p, 9 C + c] = sum dZ, the layout backward_dw_reduce adds up.
 * Dispatch (ceil(PARTS * CIN / WG), 1, 1).
 */
//! each backward_dw3x3_partial(PARTS * CIN)
fn backward_dw3x3_partial_at(i: u32) {
  let c = i % CIN;
  let p = i / CIN;
  var acc0 = vec3<f32>(0.0);
  var acc1 = vec3<f32>(0.0);
  var acc2 = vec3<f32>(0.0);
  var accB = 0.0;
  let end = min((p + 1u) * CHUNK, BATCH * u32(DST_H));
  for (var row = p * CHUNK; row < end; row++) {
    let b = i32(row / u32(DST_H));
    let oy = i32(row % u32(DST_H));
    let y0 = oy * S3 - PT;
    // Window of kernel row a at ox: x[y0 + a, ox * S3 - PL + 0..2]. Stride 1 shifts in one column per pixel,
    // stride 2 two; the window starts with the columns before ox = 0's new ones.
    var w0 = vec3<f32>(0.0, w3Load(b, y0, -PL, c), w3Load(b, y0, 1 - PL, c));
    var w1 = vec3<f32>(0.0, w3Load(b, y0 + 1, -PL, c), w3Load(b, y0 + 1, 1 - PL, c));
    var w2 = vec3<f32>(0.0, w3Load(b, y0 + 2, -PL, c), w3Load(b, y0 + 2, 1 - PL, c));
    if (S3 == 2) {
      w0 = vec3<f32>(0.0, 0.0, w0.y);
      w1 = vec3<f32>(0.0, 0.0, w1.y);
      w2 = vec3<f32>(0.0, 0.0, w2.y);
    }
    let zRow = u32(row) * u32(DST_W) * CIN + c;
    for (var ox = 0; ox < DST_W; ox++) {
      let xn = ox * S3 + 2 - PL;
      if (S3 == 2) {
        w0 = vec3<f32>(w0.z, w3Load(b, y0, xn - 1, c), w3Load(b, y0, xn, c));
        w1 = vec3<f32>(w1.z, w3Load(b, y0 + 1, xn - 1, c), w3Load(b, y0 + 1, xn, c));
        w2 = vec3<f32>(w2.z, w3Load(b, y0 + 2, xn - 1, c), w3Load(b, y0 + 2, xn, c));
      } else {
        w0 = vec3<f32>(w0.yz, w3Load(b, y0, xn, c));
        w1 = vec3<f32>(w1.yz, w3Load(b, y0 + 1, xn, c));
        w2 = vec3<f32>(w2.yz, w3Load(b, y0 + 2, xn, c));
      }
      let d = w3Dz[zRow + u32(ox) * CIN];
      acc0 += d * w0;
      acc1 += d * w1;
      acc2 += d * w2;
      accB += d;
    }
  }
  let base = p * 10u * CIN + c;
  for (var j = 0u; j < 3u; j++) {
    w3Partial[base + j * CIN] = acc0[j];
    w3Partial[base + (3u + j) * CIN] = acc1[j];
    w3Partial[base + (6u + j) * CIN] = acc2[j];
  }
  w3Partial[base + 9u * CIN] = accB;
}
