// Conv2D (NHWC, Keras kernel [KH, KW, CIN, COUT]) as implicit GEMM: the im2col matrix is never stored, each
// tile of it is gathered from x (or dY) straight into workgroup memory.
//
// Every entry point computes C[M, N] = sum_k A(m, k) B(k, n): a workgroup owns a TM x TN tile of C and walks
// its range of K in steps of TK; each invocation keeps a 4x4 register tile (rows ty*4.., columns tx*4..).
//   forward      M = BATCH*OH*OW (output pixels), N = COUT, K = KH*KW*CIN:  y = act(im2col(x) K + b)
//   backward_dx  M = BATCH*H*W (input pixels),    N = CIN,  K = KH*KW*COUT: dX = sum over the taps that
//                read a pixel of dZ * K (transposed conv; taps that fall between strides contribute 0)
//   backward_dw  M = KH*KW*CIN + 1, N = COUT, K = BATCH*OH*OW: [dK; db] = [im2col(x)^T; 1^T] dZ, the row of
//                ones giving the bias gradient in the same pass. K is long (every output pixel of the batch),
//                so it is split across SPLITS workgroups along z (KCHUNK each) into partial sums that
//                reduce_dw adds up: the GPU is busy even when dK itself is tiny (6x25 for LeNet's conv1).
// dZ = dY * act'(y), computed while loading tiles (the activations in ACT have derivatives that are
// functions of y; see dense.wgsl). Shapes are `override` constants, so index arithmetic folds to constants
// and no Params uniform is needed. Padding follows TensorFlow: TOP = floor(total / 2) rows before.

override TM: u32 = 64;
override TN: u32 = 16;
override TK: u32 = 8;
override WG: u32 = (TM / 4u) * (TN / 4u);
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
override ACT: u32 = 0u;
override ALPHA: f32 = 0.0;
/** backward_dw: length of each workgroup's slice of K (a multiple of TK), and the number of slices. */
override KCHUNK: u32 = 1u;
override SPLITS: u32 = 1u;

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;

var<workgroup> As: array<f32, TM * TK>; // [TK][TM]
var<workgroup> Bs: array<f32, TK * TN>; // [TK][TN]

fn act(z: f32) -> f32 {
  switch ACT {
    case 1u: { return max(z, 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-z)); }
    case 3u: { let e = exp(-2.0 * abs(z)); return sign(z) * (1.0 - e) / (1.0 + e); }
    case 5u: { return select(ALPHA * (exp(z) - 1.0), z, z > 0.0); }
    case 6u: { return select(ALPHA * z, z, z > 0.0); }
    case 7u: { return clamp(z, 0.0, 6.0); }
    case 8u: { return SELU_SCALE * select(SELU_ALPHA * (exp(z) - 1.0), z, z > 0.0); }
    case 9u: { return max(z, 0.0) + log(1.0 + exp(-abs(z))); }
    default: { return z; }
  }
}

fn actGrad(y: f32) -> f32 {
  switch ACT {
    case 1u: { return select(0.0, 1.0, y > 0.0); }
    case 2u: { return y * (1.0 - y); }
    case 3u: { return 1.0 - y * y; }
    case 5u: { return select(y + ALPHA, 1.0, y > 0.0); }
    case 6u: { return select(ALPHA, 1.0, y > 0.0); }
    case 7u: { return select(0.0, 1.0, y > 0.0 && y < 6.0); }
    case 8u: { return select(y + SELU_SCALE * SELU_ALPHA, SELU_SCALE, y > 0.0); }
    case 9u: { return 1.0 - exp(-y); }
    default: { return 1.0; }
  }
}

fn mma(acc: ptr<function, array<vec4<f32>, 4>>, ty: u32, tx: u32) {
  // Strided register tile: rows ty + i*TM/4, columns tx + j*TN/4. Invocations side by side share ty and
  // have consecutive tx, so A reads are one address for all of them and B reads are consecutive, which
  // SIMD implementations (SwiftShader runs invocations as vector lanes) load without gathers.
  let sn = TN / 4u;
  let sm = TM / 4u;
  for (var kk = 0u; kk < TK; kk++) {
    let ao = kk * TM + ty;
    let bo = kk * TN + tx;
    let b = vec4<f32>(Bs[bo], Bs[bo + sn], Bs[bo + 2u * sn], Bs[bo + 3u * sn]);
    (*acc)[0] += As[ao] * b;
    (*acc)[1] += As[ao + sm] * b;
    (*acc)[2] += As[ao + 2u * sm] * b;
    (*acc)[3] += As[ao + 3u * sm] * b;
  }
}

// ---------------------------------------------------------------- forward
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fkernel: array<f32>;
@group(0) @binding(2) var<storage, read> fbias: array<f32>;
@group(0) @binding(3) var<storage, read_write> fy: array<f32>;

/** im2col(x)[m, k]: m = (b, oy, ox), k = (ky, kx, ci); 0 in the padding. */
fn im2col(m: u32, k: u32) -> f32 {
  let ci = k % CIN;
  let kx = (k / CIN) % KW;
  let ky = k / (CIN * KW);
  let ox = m % OW;
  let oy = (m / OW) % OH;
  let b = m / (OW * OH);
  // Unsigned wrap-around makes "before the top edge" a huge value, so one compare checks both edges.
  let iy = oy * SH + ky - TOP;
  let ix = ox * SW + kx - LEFT;
  if (m >= BATCH * OH * OW || k >= KH * KW * CIN || iy >= H || ix >= W) { return 0.0; }
  return fx[((b * H + iy) * W + ix) * CIN + ci];
}

/** One invocation: a 4x4 block of y (output pixels x filters). Dispatch (ceil(COUT / TN), ceil(BATCH*OH*OW / TM), 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = BATCH * OH * OW;
  let K = KH * KW * CIN;
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let tx = lid % (TN / 4u);
  let ty = lid / (TN / 4u);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += TK) {
    for (var i = lid; i < TM * TK; i += WG) {
      As[(i % TK) * TM + i / TK] = im2col(m0 + i / TK, k0 + i % TK);
    }
    for (var i = lid; i < TK * TN; i += WG) {
      let r = k0 + i / TN;
      let c = n0 + i % TN;
      Bs[i] = select(0.0, fkernel[r * COUT + c], r < K && c < COUT);
    }
    workgroupBarrier();
    mma(&acc, ty, tx);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + ty + i * (TM / 4u);
    for (var j = 0u; j < 4u; j++) {
      let c = n0 + tx + j * (TN / 4u);
      if (r < M && c < COUT) {
        fy[r * COUT + c] = act(acc[i][j] + fbias[c]);
      }
    }
  }
}

// ---------------------------------------------------------------- backward_dx
@group(0) @binding(0) var<storage, read> xdy: array<f32>;
@group(0) @binding(1) var<storage, read> xy: array<f32>;
@group(0) @binding(2) var<storage, read> xkernel: array<f32>;
@group(0) @binding(3) var<storage, read_write> xdx: array<f32>;

/** dZ gathered for input pixel m = (b, iy, ix) and tap k = (ky, kx, co); 0 where no output reads it. */
fn dzCol(m: u32, k: u32) -> f32 {
  let co = k % COUT;
  let kx = (k / COUT) % KW;
  let ky = k / (COUT * KW);
  let ix = m % W;
  let iy = (m / W) % H;
  let b = m / (W * H);
  let ty = iy + TOP - ky; // wraps (huge) when negative
  let tx = ix + LEFT - kx;
  let oy = ty / SH;
  let ox = tx / SW;
  if (m >= BATCH * H * W || k >= KH * KW * COUT || oy >= OH || ox >= OW || ty % SH != 0u || tx % SW != 0u) {
    return 0.0;
  }
  let o = ((b * OH + oy) * OW + ox) * COUT + co;
  return xdy[o] * actGrad(xy[o]);
}

/** One invocation: a 4x4 block of dX (input pixels x input channels). Dispatch (ceil(CIN / TN), ceil(BATCH*H*W / TM), 1). */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = BATCH * H * W;
  let K = KH * KW * COUT;
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let tx = lid % (TN / 4u);
  let ty = lid / (TN / 4u);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += TK) {
    for (var i = lid; i < TM * TK; i += WG) {
      As[(i % TK) * TM + i / TK] = dzCol(m0 + i / TK, k0 + i % TK);
    }
    // B(k = (ky, kx, co), n = ci) = kernel[ky, kx, ci, co]: consecutive invocations walk co (contiguous).
    for (var i = lid; i < TK * TN; i += WG) {
      let k = k0 + i % TK;
      let ci = n0 + i / TK;
      let co = k % COUT;
      let tap = k / COUT;
      Bs[(i % TK) * TN + i / TK] = select(0.0, xkernel[(tap * CIN + ci) * COUT + co], k < K && ci < CIN);
    }
    workgroupBarrier();
    mma(&acc, ty, tx);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + ty + i * (TM / 4u);
    for (var j = 0u; j < 4u; j++) {
      let c = n0 + tx + j * (TN / 4u);
      if (r < M && c < CIN) {
        xdx[r * CIN + c] = acc[i][j];
      }
    }
  }
}

// ---------------------------------------------------------------- backward_dw
@group(0) @binding(0) var<storage, read> wx: array<f32>;
@group(0) @binding(1) var<storage, read> wdy: array<f32>;
@group(0) @binding(2) var<storage, read> wy: array<f32>;
@group(0) @binding(3) var<storage, read_write> wdkernel: array<f32>;
@group(0) @binding(4) var<storage, read_write> wdbias: array<f32>;

/** im2col(x)^T[m, k] with the extra ones row: m = (ky, kx, ci) or KH*KW*CIN, k = (b, oy, ox). */
fn im2colT(m: u32, k: u32) -> f32 {
  let KHWC = KH * KW * CIN;
  if (k >= BATCH * OH * OW || m > KHWC) { return 0.0; }
  if (m == KHWC) { return 1.0; }
  let ci = m % CIN;
  let kx = (m / CIN) % KW;
  let ky = m / (CIN * KW);
  let ox = k % OW;
  let oy = (k / OW) % OH;
  let b = k / (OW * OH);
  let iy = oy * SH + ky - TOP;
  let ix = ox * SW + kx - LEFT;
  if (iy >= H || ix >= W) { return 0.0; }
  return wx[((b * H + iy) * W + ix) * CIN + ci];
}

/** The 4x4 register tile of [dK; db] over this workgroup's slice of K (workgroup z). */
fn dwTile(wid: vec3<u32>, lid: u32) -> array<vec4<f32>, 4> {
  let K = BATCH * OH * OW;
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let tx = lid % (TN / 4u);
  let ty = lid / (TN / 4u);
  let kBegin = wid.z * KCHUNK;
  let kEnd = min(kBegin + KCHUNK, K);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = kBegin; k0 < kEnd; k0 += TK) {
    // Consecutive invocations walk m, i.e. input channels: contiguous in x.
    for (var i = lid; i < TM * TK; i += WG) {
      let k = k0 + i / TM;
      As[i] = select(0.0, im2colT(m0 + i % TM, k), k < kEnd);
    }
    for (var i = lid; i < TK * TN; i += WG) {
      let r = k0 + i / TN;
      let c = n0 + i % TN;
      var v = 0.0;
      if (r < kEnd && c < COUT) {
        let o = r * COUT + c;
        v = wdy[o] * actGrad(wy[o]);
      }
      Bs[i] = v;
    }
    workgroupBarrier();
    mma(&acc, ty, tx);
    workgroupBarrier();
  }
  return acc;
}

/**
 * One invocation: a 4x4 block of [dK; db] over K-slice z. With SPLITS = 1 it is written straight to dKernel
 * (binding 3) and dBias (binding 4); with SPLITS > 1 binding 3 is the partial-sum buffer
 * [SPLITS, KH*KW*CIN + 1, COUT] that reduce_dw adds up (binding 4 is then not written).
 * Dispatch (ceil(COUT / TN), ceil((KH*KW*CIN + 1) / TM), SPLITS).
 */
@compute @workgroup_size(WG)
fn backward_dw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let acc = dwTile(wid, lid);
  let KHWC = KH * KW * CIN;
  for (var i = 0u; i < 4u; i++) {
    let r = wid.y * TM + (lid / (TN / 4u)) + i * (TM / 4u);
    for (var j = 0u; j < 4u; j++) {
      let c = wid.x * TN + (lid % (TN / 4u)) + j * (TN / 4u);
      if (c < COUT && r <= KHWC) {
        if (SPLITS > 1u) {
          wdkernel[(wid.z * (KHWC + 1u) + r) * COUT + c] = acc[i][j];
        } else if (r < KHWC) {
          wdkernel[r * COUT + c] = acc[i][j];
        } else {
          wdbias[c] = acc[i][j];
        }
      }
    }
  }
}

@group(0) @binding(0) var<storage, read> rpartial: array<f32>;
@group(0) @binding(1) var<storage, read_write> rdkernel: array<f32>;
@group(0) @binding(2) var<storage, read_write> rdbias: array<f32>;

/**
 * One invocation: one element of [dK; db] = sum over the SPLITS slices of partial. Dispatch
 * (ceil((KH*KW*CIN + 1) * COUT / WG), 1, 1) with WG = TM * TN / 16.
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
