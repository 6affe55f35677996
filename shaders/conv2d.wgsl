// Conv2D (NHWC, Keras kernel [KH, KW, CIN, COUT]) as implicit GEMM, tiled family (src/gpu/family.ts): the
// im2col matrix is never stored, each tile of it is gathered from x (or dZ) straight into workgroup memory.
// Every entry point is the tiled GEMM skeleton (shaders/lib/gemm_tiled.wgsl) C[M, N] = sum_k A(m, k) B(k, n)
// with its own tile loads and stores:
//   forward      M = BATCH*OH*OW (output pixels), N = COUT, K = KH*KW*CIN:  y = act(im2col(x) K + b)
//   backward_dx  M = BATCH*H*W (input pixels),    N = CIN,  K = KH*KW*COUT: dX = sum over the taps that
//                read a pixel of dZ * K (a transposed conv; taps that fall between strides contribute 0)
//   backward_dw  M = KH*KW*CIN + 1, N = COUT, K = BATCH*OH*OW: [dK; db] = [im2col(x)^T; 1^T] dZ, the row of
//                ones giving the bias gradient in the same pass. K is long (every output pixel of the batch),
//                so it is split across SPLITS workgroups along z (KCHUNK each) into partial sums that
//                reduce_dw adds up: the GPU stays busy even when dK itself is tiny (25x6 for LeNet's conv1).
// The backward kernels read dZ = dY * act'(y), computed once beforehand (activations.wgsl backward_from_y):
// the dX gather reads each element KH*KW times.
// Tile loads keep invocations converged (select, not if): SIMD implementations then load without gathers.
// A tiles of forward and dX are gathered by shaders/lib/tile_gather_a.wgsl, B tiles read row by row by
// tile_load_b.wgsl, from the element hooks below. Each invocation decodes its tile rows once, before the K loop. act() and ACT / ALPHA: shaders/lib/act.wgsl;
// TM, TN, TK, WG: shaders/lib/tiles.wgsl; NARROW: tile_any.wgsl; the shape overrides: conv_geometry.wgsl.
//! use act conv_geometry tile_any gemm_tiled(fwd) gemm_tiled(dx) gemm_tiled(dw)
//! use tile_gather_a(fwd) tile_gather_a(dx) tile_load_b(fwd) tile_load_b(dx) tile_load_b(dw)

/** backward_dw: MREP = max(TM/WG, 1) rows and KSTEP = max(WG/TM, 1) k's per A-tile load. */
override MREP: u32 = 1u;
override KSTEP: u32 = 1u;

// forward / backward_dx: the decoded pixel of each tile row, computed once per workgroup.
var<workgroup> rowInfo: array<vec4<i32>, TM>;

// ---------------------------------------------------------------- forward
//! bindings fx fkernel fbias -> fy

/** Output pixel m: (top-left input row, column, offset in x, 0) of its receptive field; rows past M miss x. */
fn fwd_row(m: u32) -> vec4<i32> {
  let iy = select(-1000000, i32(((m / OW) % OH) * SH) - i32(TOP), m < BATCH * OH * OW);
  let ix = i32((m % OW) * SW) - i32(LEFT);
  return vec4<i32>(iy, ix, ((i32((m / (OW * OH)) * H) + iy) * i32(W) + ix) * i32(CIN), 0);
}

/** A(m, k = (ky, kx, ci)) = x at the row's receptive field + tap: (ky, kx, offset of the tap in x). */
fn fwd_aTap(k: u32) -> vec4<i32> {
  let ci = k % CIN;
  let kx = (k / CIN) % KW;
  let ky = k / (CIN * KW);
  return vec4<i32>(i32(ky), i32(kx), i32((ky * W + kx) * CIN + ci), 0);
}

fn fwd_aAt(info: vec4<i32>, tap: vec4<i32>) -> f32 {
  let iy = info.x + tap.x;
  let ix = info.y + tap.y;
  return select(0.0, fx[u32(info.z + tap.z)], iy >= 0 && iy < i32(H) && ix >= 0 && ix < i32(W));
}

fn fwd_bAt(k: u32, n: u32, kEnd: u32) -> f32 { return select(0.0, fkernel[k * COUT + n], k < kEnd && n < COUT); }

fn fwd_store(m: u32, n: u32, v: f32) {
  if (m < BATCH * OH * OW && n < COUT) { fy[m * COUT + n] = act(v + fbias[n]); }
}

/**
 * One invocation: a 4x4 (narrow 4x8) block of y (output pixels x filters).
 * Dispatch (ceil(COUT / TN), ceil(BATCH*OH*OW / TM), 1).
 */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  fwd_decodeRows(wid.y * TM, lid);
  fwd_gemm(wid, lid, 0u, KH * KW * CIN);
}

// ---------------------------------------------------------------- backward_dx
//! bindings xdz xkernel -> xdx

/** Input pixel m: (iy + TOP, ix + LEFT, b * OH, 0); rows past M read nothing. */
fn dx_row(m: u32) -> vec4<i32> {
  let iy = select(-1000000, i32((m / W) % H + TOP), m < BATCH * H * W);
  return vec4<i32>(iy, i32(m % W + LEFT), i32((m / (W * H)) * OH), 0);
}

/** A(m = (b, iy, ix), k = (ky, kx, co)) = dZ[b, oy, ox, co] where oy*SH = iy + TOP - ky (0 if no such oy). */
fn dx_aTap(k: u32) -> vec4<i32> {
  return vec4<i32>(i32(k / (COUT * KW)), i32((k / COUT) % KW), i32(k % COUT), 0);
}

fn dx_aAt(info: vec4<i32>, tap: vec4<i32>) -> f32 {
  let ty = info.x - tap.x;
  let tx = info.y - tap.y;
  let oy = ty / i32(SH);
  let ox = tx / i32(SW);
  let ok = ty >= 0 && tx >= 0 && oy < i32(OH) && ox < i32(OW) && ty % i32(SH) == 0 && tx % i32(SW) == 0;
  return select(0.0, xdz[u32(((info.z + oy) * i32(OW) + ox) * i32(COUT) + tap.z)], ok);
}

/** B(k = (ky, kx, co), n = ci) = kernel[ky, kx, ci, co]. */
fn dx_bAt(k: u32, ci: u32, kEnd: u32) -> f32 {
  return select(0.0, xkernel[((k / COUT) * CIN + ci) * COUT + k % COUT], k < kEnd && ci < CIN);
}

fn dx_store(m: u32, n: u32, v: f32) {
  if (m < BATCH * H * W && n < CIN) { xdx[m * CIN + n] = v; }
}

/**
 * One invocation: a 4x4 (narrow 4x8) block of dX (input pixels x input channels).
 * dZ = dY * act'(y) comes precomputed (activations.wgsl backward_from_y): each element is read by KH*KW taps.
 * Dispatch (ceil(CIN / TN), ceil(BATCH*H*W / TM), 1).
 */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dx_decodeRows(wid.y * TM, lid);
  dx_gemm(wid, lid, 0u, KH * KW * COUT);
}

// ---------------------------------------------------------------- backward_dw
//! bindings wx wdz -> wdkernel wdbias

// The tap of each of this invocation's A-tile rows, decoded once before the K loop.
var<private> tapY: array<i32, 4>; // ky - TOP
var<private> tapX: array<i32, 4>; // kx - LEFT
var<private> tapOff: array<i32, 4>; // ((ky - TOP) * W + kx - LEFT) * CIN + ci
var<private> tapKind: array<u32, 4>; // 0 tap, 1 the ones row, 2 beyond
var<private> dwSlice: u32; // wid.z

/** The A-tile slot this invocation fills for its p-th row: tile row lid % TM + p*WG; k's from lid / TM. */
fn aRow(lid: u32, p: u32) -> u32 { return lid % TM + p * WG; }
fn aK(lid: u32, q: u32) -> u32 { return lid / TM + q * KSTEP; }

/** A(m = (ky, kx, ci), k = (b, oy, ox)) = x[b, oy*SH + ky - TOP, ox*SW + kx - LEFT, ci]; row KH*KW*CIN ones. */
fn dw_loadA(m0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var q = 0u; q < TK / KSTEP; q++) {
    let kk = aK(lid, q);
    let k = k0 + kk;
    let ox = k % OW;
    let oy = (k / OW) % OH;
    let b = k / (OW * OH);
    let py = i32(oy * SH);
    let px = i32(ox * SW);
    let pixOff = ((i32(b * H) + py) * i32(W) + px) * i32(CIN);
    for (var p = 0u; p < MREP; p++) {
      let iy = py + tapY[p];
      let ix = px + tapX[p];
      let inside = iy >= 0 && iy < i32(H) && ix >= 0 && ix < i32(W);
      let v = select(select(0.0, 1.0, tapKind[p] == 1u), wx[u32(pixOff + tapOff[p])], tapKind[p] == 0u && inside);
      As[kk * TM + aRow(lid, p)] = select(0.0, v, k < kEnd);
    }
  }
}

/** B(k, n) = dZ[k, n]. */
fn dw_bAt(k: u32, n: u32, kEnd: u32) -> f32 { return select(0.0, wdz[k * COUT + n], k < kEnd && n < COUT); }

fn dw_store(m: u32, n: u32, v: f32) {
  let KHWC = KH * KW * CIN;
  if (n >= COUT || m > KHWC) { return; }
  if (SPLITS > 1u) {
    wdkernel[(dwSlice * (KHWC + 1u) + m) * COUT + n] = v;
  } else if (m < KHWC) {
    wdkernel[m * COUT + n] = v;
  } else {
    wdbias[n] = v;
  }
}

/**
 * One invocation: a 4x4 (narrow 4x8) block of [dK; db] over K-slice z (output pixels z*KCHUNK ..).
 * With SPLITS = 1 the block goes straight to dKernel (binding 2) and dBias (binding 3); with SPLITS > 1
 * binding 2 is the partial-sum buffer [SPLITS, KH*KW*CIN + 1, COUT] that reduce_dw adds up.
 * Dispatch (ceil(COUT / TN), ceil((KH*KW*CIN + 1) / TM), SPLITS).
 */
@compute @workgroup_size(WG)
fn backward_dw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let KHWC = KH * KW * CIN;
  for (var p = 0u; p < MREP; p++) {
    let m = wid.y * TM + aRow(lid, p);
    let ci = m % CIN;
    let kx = (m / CIN) % KW;
    let ky = m / (CIN * KW);
    tapY[p] = i32(ky) - i32(TOP);
    tapX[p] = i32(kx) - i32(LEFT);
    tapOff[p] = (tapY[p] * i32(W) + tapX[p]) * i32(CIN) + i32(ci);
    tapKind[p] = select(select(2u, 1u, m == KHWC), 0u, m < KHWC);
  }
  dwSlice = wid.z;
  let kBegin = wid.z * KCHUNK;
  dw_gemm(wid, lid, kBegin, min(kBegin + KCHUNK, BATCH * OH * OW));
}

//! bindings rpartial -> rdkernel rdbias

/**
 * One invocation: one element of [dK; db] = sum over the SPLITS slices of partial.
 * Dispatch (ceil((KH*KW*CIN + 1) * COUT / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn reduce_dw(@builtin(global_invocation_id) gid: vec3<u32>) {
  let KHWC = KH * KW * CIN;
  let size = (KHWC + 1u) * COUT;
  let e = gid.x;
  if (e >= size) { return; }
  var s = 0.0;
  for (var z = 0u; z < SPLITS; z++) { s += rpartial[z * size + e]; }
  if (e < KHWC * COUT) {
    rdkernel[e] = s;
  } else {
    rdbias[e - KHWC * COUT] = s;
  }
}
