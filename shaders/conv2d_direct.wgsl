// Conv2D (NHWC, Keras kernel [KH, KW, CIN, COUT]) as implicit GEMM WITHOUT workgroup memory: the direct family
// for CPU adapters (src/gpu/family.ts). The GEMMs are those of shaders/conv2d.wgsl (same overrides, same
// padding rule):
//   forward      M = BATCH*OH*OW, N = COUT, K = KH*KW*CIN:  y = act(im2col(x) K + b)
//   backward_dx  M = BATCH*H*W,   N = CIN,  K = KH*KW*COUT: dX, a transposed conv of dZ
//   backward_dw  M = KH*KW*CIN + 1, N = COUT, K = BATCH*OH*OW, split over SPLITS workgroups along z
//                (KCHUNK each, a multiple of OW); conv2d.wgsl's reduce_dw adds the partial sums when SPLITS > 1.
// forward and backward_dx are the direct GEMM skeleton (shaders/lib/gemm_direct.wgsl) with their own hooks;
// backward_dw walks K over output pixels instead of taps and keeps its own loop.
// Why: on a CPU adapter a workgroup barrier is a coroutine switch of every invocation, which costs more than
// workgroup memory saves (the caches already hold the tiles). Each invocation instead computes a 4 x RN block
// of C reading A and B straight from the storage buffers, with no barrier at all (lanes: shaders/lib/blocks.wgsl).
// A loads are consecutive where the GEMM's A is (conv1's forward; backward_dw, whose rows are (ky, kx, ci)).
// (Tried for backward_dx, whose rows read dZ COUT floats apart: splitting K across each 4 lanes so loads are
// consecutive, adding the quads' blocks through workgroup memory after one barrier. 2.5x slower on SwiftShader:
// probably because a single barrier makes SwiftShader run every invocation as a coroutine. RN = 4 instead of
// 8 for narrow N was 1.5x slower too: the larger block amortises the loads; likewise 8 rows instead of 4 in
// backward_dx, whose dZ loads are gathers, is ~20% faster.) act() and ACT / ALPHA: shaders/lib/act.wgsl.
//! use act conv_geometry blocks gemm_direct(fwd) gemm_direct(dx) gemm_store(dw)

/** Some tap of forward / backward_dw falls outside x (padding): false for 'valid' convs, whose checks fold away. */
override PADDED: bool = true;

// ---------------------------------------------------------------- forward
//! bindings fx fkernel fbias -> fy

fn fwd_shape() -> vec3<u32> { return vec3<u32>(BATCH * OH * OW, COUT, CIN); }

/** Top-left input pixel (y, x) of each row's receptive field, and its offset in x (z). */
fn fwd_rows(m: vec4<u32>) -> Rows {
  let y = vec4<i32>(((m / OW) % OH) * SH) - i32(TOP);
  let x = vec4<i32>((m % OW) * SW) - i32(LEFT);
  return Rows(y, x, ((vec4<i32>((m / (OW * OH)) * H) + y) * i32(W) + x) * i32(CIN));
}

/** Kernel row ky: the rows' offset in x at tap (ky, 0) (base, as i32 bits), their left column, whether iy is inside. */
fn fwd_tapRow(r: Rows, ky: u32) -> Tap {
  let iy = r.y + i32(ky);
  let okY = (iy >= vec4<i32>(0)) & (iy < vec4<i32>(i32(H)));
  return Tap(bitcast<vec4<u32>>(r.z + i32(ky * W * CIN)), r.x, okY);
}

fn fwd_tap(t: Tap, kx: u32) -> Tap {
  let ix = t.x + i32(kx);
  let ok = select(vec4<bool>(true), t.ok & (ix >= vec4<i32>(0)) & (ix < vec4<i32>(i32(W))), PADDED);
  return Tap(vec4<u32>(select(vec4<i32>(0), bitcast<vec4<i32>>(t.base) + i32(kx * CIN), ok)), ix, ok);
}

fn fwd_a(at: u32) -> f32 { return fx[at]; }
fn fwd_bCol(n: vec4<u32>) -> vec4<u32> { return n; }
fn fwd_bTap(ky: u32, kx: u32) -> u32 { return (ky * KW + kx) * CIN; }
fn fwd_bRow(kb: u32, c: u32) -> u32 { return (kb + c) * COUT; }
fn fwd_b(at: u32) -> f32 { return fkernel[at]; }
fn fwd_skipTaps() -> bool { return false; }

fn fwd_store(v: vec4<f32>, m: u32, c: vec4<u32>) {
  if (m >= BATCH * OH * OW) { return; }
  for (var j = 0u; j < 4u; j++) {
    if (c[j] < COUT) { fy[m * COUT + c[j]] = act(v[j] + fbias[c[j]]); }
  }
}

/** Dispatch (ceil(COUT / (NL*RN)), ceil(BATCH*OH*OW / (RM*WG/NL)), 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  fwd_gemm(wid, lid);
}

// ---------------------------------------------------------------- backward_dx
//! bindings xdz xkernel -> xdx

fn dx_shape() -> vec3<u32> { return vec3<u32>(BATCH * H * W, CIN, COUT); }

/**
 * Input pixel (y = iy, x = ix, z = b) of GEMM rows m. A strided conv orders the rows by (iy % SH, ix % SW)
 * first: neighbouring rows then have the same taps between strides, which the skeleton skips together (a 3x3
 * stride-2 dX does 2.25 of its 9 taps instead of all 9).
 */
fn dx_pixel(m: vec4<u32>) -> Rows {
  if (SH * SW > 1u && H % SH == 0u && W % SW == 0u) {
    let sub = (H / SH) * (W / SW);
    let q = m / sub; // (iy % SH, ix % SW) * BATCH + b
    let p = q / BATCH;
    let r = m % sub;
    return Rows(vec4<i32>((r / (W / SW)) * SH + p / SW), vec4<i32>((r % (W / SW)) * SW + p % SW), vec4<i32>(q % BATCH));
  }
  return Rows(vec4<i32>((m / W) % H), vec4<i32>(m % W), vec4<i32>(m / (W * H)));
}

/** (iy + TOP, ix + LEFT, b * OH) of each row's input pixel. */
fn dx_rows(m: vec4<u32>) -> Rows {
  let p = dx_pixel(m);
  return Rows(p.y + i32(TOP), p.x + i32(LEFT), p.z * i32(OH));
}

/** Kernel row ky: the output row oy with oy*SH = iy + TOP - ky as (b*OH + oy)*OW (base, as i32 bits), if any. */
fn dx_tapRow(r: Rows, ky: u32) -> Tap {
  let ty = r.y - i32(ky);
  let oy = ty / i32(SH);
  let okY = (ty >= vec4<i32>(0)) & (oy < vec4<i32>(i32(OH))) & (ty % i32(SH) == vec4<i32>(0));
  return Tap(bitcast<vec4<u32>>((r.z + oy) * i32(OW)), r.x, okY);
}

/** The output pixel (oy, ox) with ox*SW = ix + LEFT - kx, if there is one. */
fn dx_tap(t: Tap, kx: u32) -> Tap {
  let tx = t.x - i32(kx);
  let ox = tx / i32(SW);
  let ok = t.ok & (tx >= vec4<i32>(0)) & (ox < vec4<i32>(i32(OW))) & (tx % i32(SW) == vec4<i32>(0));
  return Tap(vec4<u32>(select(vec4<i32>(0), (bitcast<vec4<i32>>(t.base) + ox) * i32(COUT), ok)), tx, ok);
}

fn dx_a(at: u32) -> f32 { return xdz[at]; }
/** B(k = (ky, kx, co), n = ci) = kernel[ky, kx, ci, co]. */
fn dx_bCol(n: vec4<u32>) -> vec4<u32> { return n * COUT; }
fn dx_bTap(ky: u32, kx: u32) -> u32 { return (ky * KW + kx) * CIN * COUT; }
fn dx_bRow(kb: u32, c: u32) -> u32 { return kb + c; }
fn dx_b(at: u32) -> f32 { return xkernel[at]; }
/** Strided: 1 - 1/(SH*SW) of the taps fall between strides, and the rows are ordered so lanes agree on which. */
fn dx_skipTaps() -> bool { return SH * SW > 1u && H % SH == 0u && W % SW == 0u; }

fn dx_store(v: vec4<f32>, m: u32, c: vec4<u32>) {
  if (m >= BATCH * H * W) { return; }
  let p = dx_pixel(vec4<u32>(m));
  let at = u32((p.z.x * i32(H) + p.y.x) * i32(W) + p.x.x) * CIN;
  for (var j = 0u; j < 4u; j++) {
    if (c[j] < CIN) { xdx[at + c[j]] = v[j]; }
  }
}

/**
 * A(m = (b, iy, ix), k = (ky, kx, co)) = dZ[b, oy, ox, co] where oy*SH = iy + TOP - ky (0 if no such oy);
 * B(k, n = ci) = kernel[ky, kx, ci, co]. Dispatch (ceil(CIN / (NL*RN)), ceil(BATCH*H*W / (RM*WG/NL)), 1).
 */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dx_gemm(wid, lid);
}

// ---------------------------------------------------------------- backward_dw
//! bindings wx wdz -> wdkernel wdbias
var<private> dwSlice: u32; // wid.z

/** dK / db (or K-slice dwSlice's partial sums) at row r, columns c. */
fn dw_store(v: vec4<f32>, r: u32, c: vec4<u32>) {
  let KHWC = KH * KW * CIN;
  if (r > KHWC) { return; }
  for (var j = 0u; j < 4u; j++) {
    let n = c[j];
    if (n < COUT) {
      if (SPLITS > 1u) {
        wdkernel[(dwSlice * (KHWC + 1u) + r) * COUT + n] = v[j];
      } else if (r < KHWC) {
        wdkernel[r * COUT + n] = v[j];
      } else {
        wdbias[n] = v[j];
      }
    }
  }
}

/** Four rows (ky, kx, ci) of backward_dw's A: tap (y = ky - TOP, x = kx - LEFT), z its offset in x from pixel 0. */
fn dw_rows(m: vec4<u32>) -> Rows {
  let y = vec4<i32>((m / (CIN * KW)) % KH) - i32(TOP);
  let x = vec4<i32>((m / CIN) % KW) - i32(LEFT);
  return Rows(y, x, (y * i32(W) + x) * i32(CIN) + vec4<i32>(m % CIN));
}

/** The rows' A values at output pixel (row py / SH, column ox) whose offset in x is `pixel`: 1 on the ones row. */
fn dw_a(r: Rows, okY: vec4<bool>, ones: vec4<f32>, pixel: i32, ox: u32) -> vec4<f32> {
  let ix = r.x + i32(ox * SW);
  let ok = okY & select(vec4<bool>(true), (ix >= vec4<i32>(0)) & (ix < vec4<i32>(i32(W))), PADDED);
  let at = vec4<u32>(select(vec4<i32>(0), r.z + pixel, ok));
  return select(ones, vec4<f32>(wx[at.x], wx[at.y], wx[at.z], wx[at.w]), ok);
}

/** Which rows are taps (not the ones row or past it) and have their input row py + ky - TOP inside x. */
fn dw_okY(r: Rows, tap: vec4<bool>, py: i32) -> vec4<bool> {
  let iy = r.y + py;
  return tap & select(vec4<bool>(true), (iy >= vec4<i32>(0)) & (iy < vec4<i32>(i32(H))), PADDED);
}

/**
 * A(m = (ky, kx, ci), k = (b, oy, ox)) = x[b, oy*SH + ky - TOP, ox*SW + kx - LEFT, ci], row KH*KW*CIN ones;
 * B(k, n) = dZ[k, n]. With SPLITS > 1 binding 2 is the partial-sum buffer [SPLITS, KH*KW*CIN + 1, COUT].
 * Dispatch (ceil(COUT / (NL*RN)), ceil((KH*KW*CIN + 1) / (RM*WG/NL)), SPLITS).
 */
@compute @workgroup_size(WG)
fn backward_dw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let KHWC = KH * KW * CIN;
  let rows = rowsOf(wid, lid);
  let rows1 = rows + vec4<u32>(4u * (WG / NL));
  let m0 = min(rows, vec4<u32>(KHWC));
  let m1 = min(rows1, vec4<u32>(KHWC));
  let r0 = dw_rows(m0);
  let r1 = dw_rows(m1);
  let ones0 = select(vec4<f32>(1.0), vec4<f32>(0.0), m0 < vec4<u32>(KHWC));
  let ones1 = select(vec4<f32>(1.0), vec4<f32>(0.0), m1 < vec4<u32>(KHWC));
  let c0 = colsOf(wid, lid, 0u);
  let c1 = colsOf(wid, lid, 1u);
  let n0 = min(c0, vec4<u32>(COUT - 1u));
  let n1 = min(c1, vec4<u32>(COUT - 1u));
  // K runs over whole output rows (KCHUNK is a multiple of OW): the row's checks are hoisted out of the ox loop.
  let rBegin = wid.z * (KCHUNK / OW);
  let rEnd = min(rBegin + KCHUNK / OW, BATCH * OH);
  var acc: array<vec4<f32>, 8>;
  var acc1: array<vec4<f32>, 8>; // rows 4..7 (RM = 8)
  for (var r = rBegin; r < rEnd; r++) {
    let py = i32((r % OH) * SH);
    let okY0 = dw_okY(r0, m0 < vec4<u32>(KHWC), py);
    let okY1 = dw_okY(r1, m1 < vec4<u32>(KHWC), py);
    let rowOff = (i32((r / OH) * H) + py) * i32(W * CIN);
    for (var ox = 0u; ox < OW; ox++) {
      let pixel = rowOff + i32(ox * SW * CIN);
      let kr = (r * OW + ox) * COUT;
      let b0 = vec4<f32>(wdz[kr + n0.x], wdz[kr + n0.y], wdz[kr + n0.z], wdz[kr + n0.w]);
      var b1 = vec4<f32>(0.0);
      if (RN == 8u) {
        b1 = vec4<f32>(wdz[kr + n1.x], wdz[kr + n1.y], wdz[kr + n1.z], wdz[kr + n1.w]);
      } else if (RN == 6u) {
        b1 = vec4<f32>(wdz[kr + n1.x], wdz[kr + n1.y], 0.0, 0.0);
      }
      fma4x8(&acc, dw_a(r0, okY0, ones0, pixel, ox), b0, b1);
      if (RM == 8u) {
        fma4x8(&acc1, dw_a(r1, okY1, ones1, pixel, ox), b0, b1);
      }
    }
  }
  dwSlice = wid.z;
  dw_storeBlock(acc, rows, c0, c1);
  if (RM == 8u) {
    dw_storeBlock(acc1, rows1, c0, c1);
  }
}
