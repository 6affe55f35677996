// Conv2D (NHWC, Keras kernel [KH, KW, CIN, COUT]) as implicit GEMM: the im2col matrix is never stored, each
// tile of it is gathered from x (or dY) straight into workgroup memory.
//
// Every entry point computes C[M, N] = sum_k A(m, k) B(k, n): a workgroup owns a TM x TN tile of C and walks
// its range of K in steps of TK, staging A as [TK][TM] and B as [TK][TN] in workgroup memory.
//   forward      M = BATCH*OH*OW (output pixels), N = COUT, K = KH*KW*CIN:  y = act(im2col(x) K + b)
//   backward_dx  M = BATCH*H*W (input pixels),    N = CIN,  K = KH*KW*COUT: dX = sum over the taps that
//                read a pixel of dZ * K (a transposed conv; taps that fall between strides contribute 0)
//   backward_dw  M = KH*KW*CIN + 1, N = COUT, K = BATCH*OH*OW: [dK; db] = [im2col(x)^T; 1^T] dZ, the row of
//                ones giving the bias gradient in the same pass. K is long (every output pixel of the batch),
//                so it is split across SPLITS workgroups along z (KCHUNK each) into partial sums that
//                reduce_dw adds up: the GPU stays busy even when dK itself is tiny (25x6 for LeNet's conv1).
// The backward kernels read dZ = dY * act'(y), computed once beforehand (activations.wgsl backward_from_y):
// the dX gather reads each element KH*KW times.
//
// Register tiles. Wide (N > 8): invocation (tx, ty) owns rows ty + i*TM/4 and columns tx + j*TN/4 (4x4), so
// invocations side by side share ty and have consecutive tx. Narrow (NARROW, N <= 8, TN = 8): invocation ty
// owns rows ty + i*TM/4 and all 8 columns (4x8). Either way, neighbouring invocations read workgroup memory
// at one shared address or at consecutive addresses, which SIMD implementations (SwiftShader runs
// invocations as 4-wide vector lanes) serve with one load instead of a gather. Tile loads keep invocations
// converged (select, not if) for the same reason, and each invocation decodes its tile rows once, before the
// K loop. Shapes are `override` constants, so index arithmetic folds; no Params uniform is needed.
// Padding follows TensorFlow: TOP = floor(total / 2) rows before. act() and ACT / ALPHA: shaders/lib/act.wgsl.
//! use act

override TM: u32 = 64u;
override TN: u32 = 16u;
override TK: u32 = 8u;
override NARROW: bool = false;
/** (TM/4)*(TN/4) wide, TM/4 narrow; MREP = max(TM/WG, 1) rows and KSTEP = max(WG/TM, 1) per A-tile load. */
override WG: u32 = 64u;
override MREP: u32 = 1u;
override KSTEP: u32 = 1u;
override BATCH: u32 = 1u;
override H: u32 = 1u;
override W: u32 = 1u;
override CIN: u32 = 1u;
override OH: u32 = 1u;
override OW: u32 = 1u;
override COUT: u32 = 1u;
override KH: u32 = 1u;
override KW: u32 = 1u;
override SH: u32 = 1u;
override SW: u32 = 1u;
override TOP: u32 = 0u;
override LEFT: u32 = 0u;
/** backward_dw: length of each workgroup's slice of K (a multiple of TK), and the number of slices. */
override KCHUNK: u32 = 1u;
override SPLITS: u32 = 1u;

var<workgroup> As: array<f32, TM * TK>; // [TK][TM]
var<workgroup> Bs: array<f32, TK * TN>; // [TK][TN]
// forward / backward_dx: the decoded pixel of each tile row, computed once per workgroup.
var<workgroup> rowInfo: array<vec4<i32>, TM>;



/** (tx, ty) of this invocation's register tile. */
fn lanes(lid: u32) -> vec2<u32> {
  if (NARROW) { return vec2<u32>(0u, lid); }
  return vec2<u32>(lid % (TN / 4u), lid / (TN / 4u));
}

/** acc += one k of the A tile x B tile. acc[i] (wide) or acc[2i], acc[2i+1] (narrow) is row i. */
fn mmaStep(acc: ptr<function, array<vec4<f32>, 8>>, t: vec2<u32>, kk: u32) {
  let sm = TM / 4u;
  let ao = kk * TM + t.y;
  let a = vec4<f32>(As[ao], As[ao + sm], As[ao + 2u * sm], As[ao + 3u * sm]);
  if (NARROW) {
    let bo = kk * 8u;
    let b0 = vec4<f32>(Bs[bo], Bs[bo + 1u], Bs[bo + 2u], Bs[bo + 3u]);
    let b1 = vec4<f32>(Bs[bo + 4u], Bs[bo + 5u], Bs[bo + 6u], Bs[bo + 7u]);
    (*acc)[0] += a.x * b0;
    (*acc)[1] += a.x * b1;
    (*acc)[2] += a.y * b0;
    (*acc)[3] += a.y * b1;
    (*acc)[4] += a.z * b0;
    (*acc)[5] += a.z * b1;
    (*acc)[6] += a.w * b0;
    (*acc)[7] += a.w * b1;
  } else {
    let sn = TN / 4u;
    let bo = kk * TN + t.x;
    let b = vec4<f32>(Bs[bo], Bs[bo + sn], Bs[bo + 2u * sn], Bs[bo + 3u * sn]);
    (*acc)[0] += a.x * b;
    (*acc)[1] += a.y * b;
    (*acc)[2] += a.z * b;
    (*acc)[3] += a.w * b;
  }
}

/** acc += A tile x B tile over the TK staged k's (TK a multiple of 4; unrolled by 4 for SIMD emulators). */
fn mma(acc: ptr<function, array<vec4<f32>, 8>>, t: vec2<u32>) {
  for (var kk = 0u; kk < TK; kk += 4u) {
    mmaStep(acc, t, kk);
    mmaStep(acc, t, kk + 1u);
    mmaStep(acc, t, kk + 2u);
    mmaStep(acc, t, kk + 3u);
  }
}

/** Columns per invocation, the tile column of its j-th one, and its value in acc. */
const JMAX_WIDE: u32 = 4u;
fn jCount() -> u32 { return select(JMAX_WIDE, 8u, NARROW); }
fn colOf(t: vec2<u32>, j: u32) -> u32 { return select(t.x + j * (TN / 4u), j, NARROW); }
fn accAt(acc: ptr<function, array<vec4<f32>, 8>>, i: u32, j: u32) -> f32 {
  if (NARROW) { return (*acc)[2u * i + j / 4u][j % 4u]; }
  return (*acc)[i][j];
}

/** The A-tile slot this invocation fills for its p-th row: tile row lid % TM + p*WG; k's from lid / TM. */
fn aRow(lid: u32, p: u32) -> u32 { return lid % TM + p * WG; }
fn aK(lid: u32, q: u32) -> u32 { return lid / TM + q * KSTEP; }

// ---------------------------------------------------------------- forward
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fkernel: array<f32>;
@group(0) @binding(2) var<storage, read> fbias: array<f32>;
@group(0) @binding(3) var<storage, read_write> fy: array<f32>;

/**
 * One invocation: a 4x4 (narrow 4x8) block of y (output pixels x filters).
 * Dispatch (ceil(COUT / TN), ceil(BATCH*OH*OW / TM), 1).
 */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = BATCH * OH * OW;
  let K = KH * KW * CIN;
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let t = lanes(lid);
  // Tile rows decoded once: (top-left input row, column, offset in x, 0) of each output pixel.
  for (var r = lid; r < TM; r += WG) {
    let m = m0 + r;
    let ox = m % OW;
    let oy = (m / OW) % OH;
    let iy = select(-1000000, i32(oy * SH) - i32(TOP), m < M);
    let ix = i32(ox * SW) - i32(LEFT);
    rowInfo[r] = vec4<i32>(iy, ix, ((i32((m / (OW * OH)) * H) + iy) * i32(W) + ix) * i32(CIN), 0);
  }
  workgroupBarrier();
  // A loads: invocations side by side take consecutive k = (ky, kx, ci), i.e. consecutive x addresses.
  let kk = lid % TK;
  var acc: array<vec4<f32>, 8>;
  for (var k0 = 0u; k0 < K; k0 += TK) {
    let k = k0 + kk;
    let ci = k % CIN;
    let kx = (k / CIN) % KW;
    let ky = k / (CIN * KW);
    let kOff = i32((ky * W + kx) * CIN + ci);
    for (var r = lid / TK; r < TM; r += WG / TK) {
      let info = rowInfo[r];
      let iy = info.x + i32(ky);
      let ix = info.y + i32(kx);
      let ok = k < K && iy >= 0 && iy < i32(H) && ix >= 0 && ix < i32(W);
      As[kk * TM + r] = select(0.0, fx[u32(info.z + kOff)], ok);
    }
    for (var i = lid; i < TK * TN; i += WG) {
      let k = k0 + i / TN;
      let n = n0 + i % TN;
      Bs[i] = select(0.0, fkernel[k * COUT + n], k < K && n < COUT);
    }
    workgroupBarrier();
    mma(&acc, t);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + t.y + i * (TM / 4u);
    for (var j = 0u; j < jCount(); j++) {
      let c = n0 + colOf(t, j);
      if (r < M && c < COUT) {
        fy[r * COUT + c] = act(accAt(&acc, i, j) + fbias[c]);
      }
    }
  }
}

// ---------------------------------------------------------------- backward_dx
@group(0) @binding(0) var<storage, read> xdz: array<f32>;
@group(0) @binding(1) var<storage, read> xkernel: array<f32>;
@group(0) @binding(2) var<storage, read_write> xdx: array<f32>;

/**
 * One invocation: a 4x4 (narrow 4x8) block of dX (input pixels x input channels).
 * A(m = (b, iy, ix), k = (ky, kx, co)) = dZ[b, oy, ox, co] where oy*SH = iy + TOP - ky (0 if no such oy).
 * dZ = dY * act'(y) comes precomputed (activations.wgsl backward_from_y): each element is read by KH*KW taps.
 * Dispatch (ceil(CIN / TN), ceil(BATCH*H*W / TM), 1).
 */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = BATCH * H * W;
  let K = KH * KW * COUT;
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let t = lanes(lid);
  // Tile rows decoded once: (iy + TOP, ix + LEFT, b * OH, 0) of each input pixel.
  for (var r = lid; r < TM; r += WG) {
    let m = m0 + r;
    let ix = m % W;
    let iy = (m / W) % H;
    rowInfo[r] = vec4<i32>(select(-1000000, i32(iy + TOP), m < M), i32(ix + LEFT), i32((m / (W * H)) * OH), 0);
  }
  workgroupBarrier();
  // A loads: invocations side by side take consecutive k = (ky, kx, co), i.e. consecutive dZ addresses.
  let kk = lid % TK;
  var acc: array<vec4<f32>, 8>;
  for (var k0 = 0u; k0 < K; k0 += TK) {
    let k = k0 + kk;
    let co = k % COUT;
    let kx = (k / COUT) % KW;
    let ky = k / (COUT * KW);
    for (var r = lid / TK; r < TM; r += WG / TK) {
      let info = rowInfo[r];
      let ty = info.x - i32(ky);
      let tx = info.y - i32(kx);
      let oy = ty / i32(SH);
      let ox = tx / i32(SW);
      let ok = k < K && ty >= 0 && tx >= 0 && oy < i32(OH) && ox < i32(OW) && ty % i32(SH) == 0 &&
        tx % i32(SW) == 0;
      As[kk * TM + r] = select(0.0, xdz[u32(((info.z + oy) * i32(OW) + ox) * i32(COUT) + i32(co))], ok);
    }
    // B(k = (ky, kx, co), n = ci) = kernel[ky, kx, ci, co].
    for (var i = lid; i < TK * TN; i += WG) {
      let k = k0 + i / TN;
      let ci = n0 + i % TN;
      Bs[i] = select(0.0, xkernel[((k / COUT) * CIN + ci) * COUT + k % COUT], k < K && ci < CIN);
    }
    workgroupBarrier();
    mma(&acc, t);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + t.y + i * (TM / 4u);
    for (var j = 0u; j < jCount(); j++) {
      let c = n0 + colOf(t, j);
      if (r < M && c < CIN) {
        xdx[r * CIN + c] = accAt(&acc, i, j);
      }
    }
  }
}

// ---------------------------------------------------------------- backward_dw
@group(0) @binding(0) var<storage, read> wx: array<f32>;
@group(0) @binding(1) var<storage, read> wdz: array<f32>;
@group(0) @binding(2) var<storage, read_write> wdkernel: array<f32>;
@group(0) @binding(3) var<storage, read_write> wdbias: array<f32>;

/**
 * One invocation: a 4x4 (narrow 4x8) block of [dK; db] over K-slice z (output pixels z*KCHUNK ..).
 * A(m = (ky, kx, ci), k = (b, oy, ox)) = x[b, oy*SH + ky - TOP, ox*SW + kx - LEFT, ci]; row KH*KW*CIN is ones.
 * With SPLITS = 1 the block goes straight to dKernel (binding 2) and dBias (binding 3); with SPLITS > 1
 * binding 2 is the partial-sum buffer [SPLITS, KH*KW*CIN + 1, COUT] that reduce_dw adds up.
 * Dispatch (ceil(COUT / TN), ceil((KH*KW*CIN + 1) / TM), SPLITS).
 */
@compute @workgroup_size(WG)
fn backward_dw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let KHWC = KH * KW * CIN;
  let K = BATCH * OH * OW;
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let t = lanes(lid);
  let kBegin = wid.z * KCHUNK;
  let kEnd = min(kBegin + KCHUNK, K);
  var tapY: array<i32, 4>; // ky - TOP
  var tapX: array<i32, 4>; // kx - LEFT
  var tapOff: array<i32, 4>; // ((ky - TOP) * W + kx - LEFT) * CIN + ci
  var tapKind: array<u32, 4>; // 0 tap, 1 the ones row, 2 beyond
  for (var p = 0u; p < MREP; p++) {
    let m = m0 + aRow(lid, p);
    let ci = m % CIN;
    let kx = (m / CIN) % KW;
    let ky = m / (CIN * KW);
    tapY[p] = i32(ky) - i32(TOP);
    tapX[p] = i32(kx) - i32(LEFT);
    tapOff[p] = (tapY[p] * i32(W) + tapX[p]) * i32(CIN) + i32(ci);
    tapKind[p] = select(select(2u, 1u, m == KHWC), 0u, m < KHWC);
  }
  var acc: array<vec4<f32>, 8>;
  for (var k0 = kBegin; k0 < kEnd; k0 += TK) {
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
    for (var i = lid; i < TK * TN; i += WG) {
      let r = k0 + i / TN;
      let c = n0 + i % TN;
      let o = r * COUT + c;
      Bs[i] = select(0.0, wdz[o], r < kEnd && c < COUT);
    }
    workgroupBarrier();
    mma(&acc, t);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + t.y + i * (TM / 4u);
    for (var j = 0u; j < jCount(); j++) {
      let c = n0 + colOf(t, j);
      if (c < COUT && r <= KHWC) {
        let v = accAt(&acc, i, j);
        if (SPLITS > 1u) {
          wdkernel[(wid.z * (KHWC + 1u) + r) * COUT + c] = v;
        } else if (r < KHWC) {
          wdkernel[r * COUT + c] = v;
        } else {
          wdbias[c] = v;
        }
      }
    }
  }
}

@group(0) @binding(0) var<storage, read> rpartial: array<f32>;
@group(0) @binding(1) var<storage, read_write> rdkernel: array<f32>;
@group(0) @binding(2) var<storage, read_write> rdbias: array<f32>;

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
