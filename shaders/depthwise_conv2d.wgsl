// DepthwiseConv2D over NHWC with the Keras kernel [KH, KW, CIN, MULT]: output channel o = ci * MULT + m sees
// input channel ci only, COUT = CIN * MULT. Window (oy, ox) starts at (oy * SH - TOP, ox * SW - LEFT); taps
// outside x read 0 ('same'). Each invocation gathers (no atomics, no workgroup memory, no barriers: the same
// kernels serve GPUs and CPU adapters; see src/ops/depthwise_conv2d.ts). The activation (ACT, ALPHA) is fused
// into forward when its derivative follows from y; the op computes dZ = dY * act'(z) before the backward passes.
// dK and dBias reduce over BATCH * OH * OW output pixels in two levels: PARTS partial sums of CHUNK pixels each,
// then one invocation per weight adds the PARTS partials.
// Sizes are `override` constants (no Params uniform).
//! use act

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override H: i32 = 1;
override W: i32 = 1;
override CIN: u32 = 1u;
override MULT: u32 = 1u;
override OH: i32 = 1;
override OW: i32 = 1;
override KH: i32 = 1;
override KW: i32 = 1;
override SH: i32 = 1;
override SW: i32 = 1;
override TOP: i32 = 0;
override LEFT: i32 = 0;
override PARTS: u32 = 1u;
override CHUNK: u32 = 1u;

fn cout() -> u32 { return CIN * MULT; }

@group(0) @binding(0) var<storage, read> fX: array<f32>;
@group(0) @binding(1) var<storage, read> fK: array<f32>;
@group(0) @binding(2) var<storage, read> fBias: array<f32>;
@group(0) @binding(3) var<storage, read_write> fY: array<f32>;

/**
 * Grid-stride over y: y[b, oy, ox, o] = act(bias[o] + sum_{ky,kx} x[b, iy, ix, o / MULT] K[ky, kx, o / MULT, o % MULT])
 * with iy = oy * SH - TOP + ky, ix = ox * SW - LEFT + kx in bounds.
 * Dispatch (min(ceil(BATCH * OH * OW * COUT / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let co = cout();
  let count = BATCH * u32(OH * OW) * co;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let o = i % co;
    let ci = o / MULT;
    let pix = i / co;
    let ox = i32(pix % u32(OW));
    let oy = i32((pix / u32(OW)) % u32(OH));
    let b = pix / u32(OW * OH);
    var s = fBias[o];
    for (var ky = 0; ky < KH; ky++) {
      let iy = oy * SH - TOP + ky;
      if (iy < 0 || iy >= H) { continue; }
      for (var kx = 0; kx < KW; kx++) {
        let ix = ox * SW - LEFT + kx;
        if (ix < 0 || ix >= W) { continue; }
        s += fX[((b * u32(H) + u32(iy)) * u32(W) + u32(ix)) * CIN + ci] * fK[u32(ky * KW + kx) * co + o];
      }
    }
    fY[i] = act(s);
  }
}

@group(0) @binding(0) var<storage, read> dxDz: array<f32>;
@group(0) @binding(1) var<storage, read> dxK: array<f32>;
@group(0) @binding(2) var<storage, read_write> dxOut: array<f32>;

/** floor(a / b) for b > 0 and any sign of a. */
fn floorDiv(a: i32, b: i32) -> i32 {
  return select((a - b + 1) / b, a / b, a >= 0);
}

/**
 * Grid-stride over x: dX[b, iy, ix, ci] = sum over taps (ky, kx) whose output pixel
 * oy = (iy + TOP - ky) / SH, ox = (ix + LEFT - kx) / SW is whole and in range, and over m < MULT, of
 * dZ[b, oy, ox, ci * MULT + m] K[ky, kx, ci, m]. Dispatch (min(ceil(BATCH * H * W * CIN / WG), 1024), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let co = cout();
  let count = BATCH * u32(H * W) * CIN;
  for (var i = gid.x; i < count; i += nwg.x * WG) {
    let ci = i % CIN;
    let pix = i / CIN;
    let ix = i32(pix % u32(W));
    let iy = i32((pix / u32(W)) % u32(H));
    let b = pix / u32(W * H);
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
        let zBase = ((b * u32(OH) + u32(oy)) * u32(OW) + u32(ox)) * co + ci * MULT;
        let kBase = u32(ky * KW + kx) * co + ci * MULT;
        for (var m = 0u; m < MULT; m++) { g += dxDz[zBase + m] * dxK[kBase + m]; }
      }
    }
    dxOut[i] = g;
  }
}

@group(0) @binding(0) var<storage, read> pX: array<f32>;
@group(0) @binding(1) var<storage, read> pDz: array<f32>;
@group(0) @binding(2) var<storage, read_write> pPartial: array<f32>;

/**
 * One invocation: weight j = t * COUT + o (tap t = ky * KW + kx; t = KH * KW is the bias) over part p, the
 * output pixels q in [p * CHUNK, (p + 1) * CHUNK): partial[p, j] = sum_q dZ[q, o] * x[tap t of q, o / MULT]
 * (bias: sum_q dZ[q, o]). Dispatch (ceil(PARTS * (KH * KW + 1) * COUT / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward_dw_partial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let co = cout();
  let weights = u32(KH * KW + 1) * co;
  let i = gid.x;
  if (i >= PARTS * weights) { return; }
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
      let ox = i32(q % u32(OW));
      let oy = i32((q / u32(OW)) % u32(OH));
      let b = q / u32(OW * OH);
      let iy = oy * SH - TOP + ky;
      let ix = ox * SW - LEFT + kx;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) { continue; }
      s += pDz[q * co + o] * pX[((b * u32(H) + u32(iy)) * u32(W) + u32(ix)) * CIN + ci];
    }
  }
  pPartial[i] = s;
}

@group(0) @binding(0) var<storage, read> rPartial: array<f32>;
@group(0) @binding(1) var<storage, read_write> rDk: array<f32>;
@group(0) @binding(2) var<storage, read_write> rDbias: array<f32>;

/**
 * One invocation per weight j < (KH * KW + 1) * COUT: the sum over parts of partial[p, j], written to
 * dK[j] (Keras layout [KH, KW, CIN, MULT] flattens to t * COUT + o) or, for the bias row, dBias[o].
 * Dispatch (ceil((KH * KW + 1) * COUT / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward_dw_reduce(@builtin(global_invocation_id) gid: vec3<u32>) {
  let co = cout();
  let taps = u32(KH * KW) * co;
  let j = gid.x;
  if (j >= taps + co) { return; }
  var s = 0.0;
  for (var p = 0u; p < PARTS; p++) { s += rPartial[p * (taps + co) + j]; }
  if (j < taps) {
    rDk[j] = s;
  } else {
    rDbias[j - taps] = s;
  }
}
