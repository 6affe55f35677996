// Conv2D (NHWC, Keras kernel [KH, KW, CIN, COUT]) as implicit GEMM WITHOUT workgroup memory: the variant for
// CPU adapters (SwiftShader). The GEMMs are those of shaders/conv2d.wgsl (same overrides, same padding rule):
//   forward      M = BATCH*OH*OW, N = COUT, K = KH*KW*CIN:  y = act(im2col(x) K + b)
//   backward_dx  M = BATCH*H*W,   N = CIN,  K = KH*KW*COUT: dX, a transposed conv of dZ
//   backward_dw  M = KH*KW*CIN + 1, N = COUT, K = BATCH*OH*OW, split over SPLITS workgroups along z
//                (KCHUNK each, a multiple of OW); conv2d.wgsl's reduce_dw adds the partial sums when SPLITS > 1.
// Why: on a CPU adapter a workgroup barrier is a coroutine switch of every invocation, which costs more than
// workgroup memory saves (the caches already hold the tiles). Each invocation instead computes a 4 x RN block
// of C reading A and B straight from the storage buffers, with no barrier at all.
//
// Lanes. Invocation lid is (tx, ty) = (lid % NL, lid / NL): rows m0 + ty + i*(WG/NL) (i < 4), columns
// n0 + tx + j*NL (j < RN). NL = 1 (narrow N): all invocations of a SIMD group share the columns, so B loads
// are one broadcast, and rows are consecutive, so A loads are consecutive where the GEMM's A is (conv1's
// forward; backward_dw, whose rows are (ky, kx, ci)). NL > 1 (wide N): NL invocations share the rows (A is a
// broadcast) and take consecutive columns (B is a vector load). SwiftShader runs invocations as 4-wide lanes
// and only avoids a per-lane gather in these two cases. Out-of-range rows and columns are clamped to the
// last valid one, so loads need no masks; their results are never stored. The K loops are nested over the
// kernel taps so padding checks and address decoding happen once per tap, not once per k.
// (Tried for backward_dx, whose rows read dZ COUT floats apart: splitting K across each 4 lanes so loads are
// consecutive, adding the quads' blocks through workgroup memory after one barrier. 2.5x slower on SwiftShader:
// probably because a single barrier makes SwiftShader run every invocation as a coroutine. RN = 4 instead of
// 8 for narrow N was 1.5x slower too: the larger block amortises the loads; likewise 8 rows instead of 4 in
// backward_dx, whose dZ loads are gathers, is ~20% faster.) act() and ACT / ALPHA: shaders/lib/act.wgsl.
//! use act conv_geometry

override NL: u32 = 1u;
/** Columns per invocation: 4, 6 or 8. */
override RN: u32 = 8u;
override WG: u32 = 64u;
/** Rows per invocation (forward, backward_dx): 4 or 8. backward_dw always takes 4. */
override RM: u32 = 4u;
/** Some tap of forward / backward_dw falls outside x (padding): false for 'valid' convs, whose checks fold away. */
override PADDED: bool = true;


/** The first 4 rows of this invocation (unclamped; compare with M before storing); rows 4..7 follow 4*step on. */
fn rowsOf(wid: vec3<u32>, lid: u32) -> vec4<u32> {
  let step = WG / NL;
  let m = wid.y * RM * step + lid / NL;
  return vec4<u32>(m, m + step, m + 2u * step, m + 3u * step);
}

/** Columns j = 0..3 (half 0) or 4..7 (half 1) of this invocation (unclamped; RN = 6 uses 4 and 5 only). */
fn colsOf(wid: vec3<u32>, lid: u32, half: u32) -> vec4<u32> {
  let n = wid.x * NL * RN + lid % NL + half * 4u * NL;
  return vec4<u32>(n, n + NL, n + 2u * NL, n + 3u * NL);
}

/** acc[2i + h] += a[i] * b_h: one k of the 4 x RN register block. */
fn fma4x8(acc: ptr<function, array<vec4<f32>, 8>>, a: vec4<f32>, b0: vec4<f32>, b1: vec4<f32>) {
  (*acc)[0] += a.x * b0;
  (*acc)[2] += a.y * b0;
  (*acc)[4] += a.z * b0;
  (*acc)[6] += a.w * b0;
  if (RN == 8u) {
    (*acc)[1] += a.x * b1;
    (*acc)[3] += a.y * b1;
    (*acc)[5] += a.z * b1;
    (*acc)[7] += a.w * b1;
  } else if (RN == 6u) {
    // Two columns only: SwiftShader computes every vector component as its own SIMD op.
    (*acc)[1].x += a.x * b1.x;
    (*acc)[1].y += a.x * b1.y;
    (*acc)[3].x += a.y * b1.x;
    (*acc)[3].y += a.y * b1.y;
    (*acc)[5].x += a.z * b1.x;
    (*acc)[5].y += a.z * b1.y;
    (*acc)[7].x += a.w * b1.x;
    (*acc)[7].y += a.w * b1.y;
  }
}

// ---------------------------------------------------------------- forward
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fkernel: array<f32>;
@group(0) @binding(2) var<storage, read> fbias: array<f32>;
@group(0) @binding(3) var<storage, read_write> fy: array<f32>;

fn storeY(acc: vec4<f32>, m: u32, c: vec4<u32>) {
  if (m >= BATCH * OH * OW) { return; }
  if (c.x < COUT) { fy[m * COUT + c.x] = act(acc.x + fbias[c.x]); }
  if (c.y < COUT) { fy[m * COUT + c.y] = act(acc.y + fbias[c.y]); }
  if (c.z < COUT) { fy[m * COUT + c.z] = act(acc.z + fbias[c.z]); }
  if (c.w < COUT) { fy[m * COUT + c.w] = act(acc.w + fbias[c.w]); }
}

/** Dispatch (ceil(COUT / (NL*RN)), ceil(BATCH*OH*OW / (RM*WG/NL)), 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let rows = rowsOf(wid, lid);
  let rows1 = rows + vec4<u32>(4u * (WG / NL));
  let m = min(rows, vec4<u32>(BATCH * OH * OW - 1u));
  let m1 = min(rows1, vec4<u32>(BATCH * OH * OW - 1u));
  let c0 = colsOf(wid, lid, 0u);
  let c1 = colsOf(wid, lid, 1u);
  let n0 = min(c0, vec4<u32>(COUT - 1u));
  let n1 = min(c1, vec4<u32>(COUT - 1u));
  // Top-left input pixel of each row's receptive field, and its offset in x.
  let ox = m % OW;
  let oy = (m / OW) % OH;
  let rowY = vec4<i32>(oy * SH) - i32(TOP);
  let rowX = vec4<i32>(ox * SW) - i32(LEFT);
  let rowOff = ((vec4<i32>((m / (OW * OH)) * H) + rowY) * i32(W) + rowX) * i32(CIN);
  let rowY1 = vec4<i32>(((m1 / OW) % OH) * SH) - i32(TOP);
  let rowX1 = vec4<i32>((m1 % OW) * SW) - i32(LEFT);
  let rowOff1 = ((vec4<i32>((m1 / (OW * OH)) * H) + rowY1) * i32(W) + rowX1) * i32(CIN);
  var acc: array<vec4<f32>, 8>;
  var acc1: array<vec4<f32>, 8>; // rows 4..7 (RM = 8)
  for (var ky = 0u; ky < KH; ky++) {
    let iy = rowY + i32(ky);
    let okY = (iy >= vec4<i32>(0)) & (iy < vec4<i32>(i32(H)));
    let iy1 = rowY1 + i32(ky);
    let okY1 = (iy1 >= vec4<i32>(0)) & (iy1 < vec4<i32>(i32(H)));
    for (var kx = 0u; kx < KW; kx++) {
      let ix = rowX + i32(kx);
      let ok = select(vec4<bool>(true), okY & (ix >= vec4<i32>(0)) & (ix < vec4<i32>(i32(W))), PADDED);
      let base = vec4<u32>(select(vec4<i32>(0), rowOff + i32((ky * W + kx) * CIN), ok));
      let ix1 = rowX1 + i32(kx);
      let ok1 = select(vec4<bool>(true), okY1 & (ix1 >= vec4<i32>(0)) & (ix1 < vec4<i32>(i32(W))), PADDED);
      let base1 = vec4<u32>(select(vec4<i32>(0), rowOff1 + i32((ky * W + kx) * CIN), ok1));
      let kb = (ky * KW + kx) * CIN;
      for (var ci = 0u; ci < CIN; ci++) {
        let xa = vec4<f32>(fx[base.x + ci], fx[base.y + ci], fx[base.z + ci], fx[base.w + ci]);
        let a = select(vec4<f32>(0.0), xa, ok);
        let kr = (kb + ci) * COUT;
        let b0 = vec4<f32>(fkernel[kr + n0.x], fkernel[kr + n0.y], fkernel[kr + n0.z], fkernel[kr + n0.w]);
        var b1 = vec4<f32>(0.0);
        if (RN == 8u) {
          b1 = vec4<f32>(fkernel[kr + n1.x], fkernel[kr + n1.y], fkernel[kr + n1.z], fkernel[kr + n1.w]);
        } else if (RN == 6u) {
          b1 = vec4<f32>(fkernel[kr + n1.x], fkernel[kr + n1.y], 0.0, 0.0);
        }
        fma4x8(&acc, a, b0, b1);
        if (RM == 8u) {
          let x1 = vec4<f32>(fx[base1.x + ci], fx[base1.y + ci], fx[base1.z + ci], fx[base1.w + ci]);
          fma4x8(&acc1, select(vec4<f32>(0.0), x1, ok1), b0, b1);
        }
      }
    }
  }
  storeY(acc[0], rows.x, c0);
  storeY(acc[2], rows.y, c0);
  storeY(acc[4], rows.z, c0);
  storeY(acc[6], rows.w, c0);
  if (RN > 4u) {
    storeY(acc[1], rows.x, c1);
    storeY(acc[3], rows.y, c1);
    storeY(acc[5], rows.z, c1);
    storeY(acc[7], rows.w, c1);
  }
  if (RM == 8u) {
    storeY(acc1[0], rows1.x, c0);
    storeY(acc1[2], rows1.y, c0);
    storeY(acc1[4], rows1.z, c0);
    storeY(acc1[6], rows1.w, c0);
    if (RN > 4u) {
      storeY(acc1[1], rows1.x, c1);
      storeY(acc1[3], rows1.y, c1);
      storeY(acc1[5], rows1.z, c1);
      storeY(acc1[7], rows1.w, c1);
    }
  }
}

// ---------------------------------------------------------------- backward_dx
@group(0) @binding(0) var<storage, read> xdz: array<f32>;
@group(0) @binding(1) var<storage, read> xkernel: array<f32>;
@group(0) @binding(2) var<storage, read_write> xdx: array<f32>;

fn storeDx(acc: vec4<f32>, m: u32, c: vec4<u32>) {
  if (m >= BATCH * H * W) { return; }
  if (c.x < CIN) { xdx[m * CIN + c.x] = acc.x; }
  if (c.y < CIN) { xdx[m * CIN + c.y] = acc.y; }
  if (c.z < CIN) { xdx[m * CIN + c.z] = acc.z; }
  if (c.w < CIN) { xdx[m * CIN + c.w] = acc.w; }
}

/**
 * A(m = (b, iy, ix), k = (ky, kx, co)) = dZ[b, oy, ox, co] where oy*SH = iy + TOP - ky (0 if no such oy);
 * B(k, n = ci) = kernel[ky, kx, ci, co]. Dispatch (ceil(CIN / (NL*RN)), ceil(BATCH*H*W / (4*WG/NL)), 1).
 */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let rows = rowsOf(wid, lid);
  let rows1 = rows + vec4<u32>(4u * (WG / NL));
  let m = min(rows, vec4<u32>(BATCH * H * W - 1u));
  let m1 = min(rows1, vec4<u32>(BATCH * H * W - 1u));
  let c0 = colsOf(wid, lid, 0u);
  let c1 = colsOf(wid, lid, 1u);
  let n0 = min(c0, vec4<u32>(CIN - 1u)) * COUT;
  let n1 = min(c1, vec4<u32>(CIN - 1u)) * COUT;
  let rowY = vec4<i32>((m / W) % H + TOP);
  let rowX = vec4<i32>(m % W + LEFT);
  let rowB = vec4<i32>((m / (W * H)) * OH);
  let rowY1 = vec4<i32>((m1 / W) % H + TOP);
  let rowX1 = vec4<i32>(m1 % W + LEFT);
  let rowB1 = vec4<i32>((m1 / (W * H)) * OH);
  var acc: array<vec4<f32>, 8>;
  var acc1: array<vec4<f32>, 8>; // rows 4..7 (RM = 8)
  for (var ky = 0u; ky < KH; ky++) {
    let ty = rowY - i32(ky);
    let oy = ty / i32(SH);
    let okY = (ty >= vec4<i32>(0)) & (oy < vec4<i32>(i32(OH))) & (ty % i32(SH) == vec4<i32>(0));
    let ty1 = rowY1 - i32(ky);
    let oy1 = ty1 / i32(SH);
    let okY1 = (ty1 >= vec4<i32>(0)) & (oy1 < vec4<i32>(i32(OH))) & (ty1 % i32(SH) == vec4<i32>(0));
    for (var kx = 0u; kx < KW; kx++) {
      let tx = rowX - i32(kx);
      let ox = tx / i32(SW);
      let ok = okY & (tx >= vec4<i32>(0)) & (ox < vec4<i32>(i32(OW))) & (tx % i32(SW) == vec4<i32>(0));
      let base = vec4<u32>(select(vec4<i32>(0), ((rowB + oy) * i32(OW) + ox) * i32(COUT), ok));
      let tx1 = rowX1 - i32(kx);
      let ox1 = tx1 / i32(SW);
      let ok1 = okY1 & (tx1 >= vec4<i32>(0)) & (ox1 < vec4<i32>(i32(OW))) & (tx1 % i32(SW) == vec4<i32>(0));
      let base1 = vec4<u32>(select(vec4<i32>(0), ((rowB1 + oy1) * i32(OW) + ox1) * i32(COUT), ok1));
      let kb = (ky * KW + kx) * CIN * COUT;
      for (var co = 0u; co < COUT; co++) {
        let za = vec4<f32>(xdz[base.x + co], xdz[base.y + co], xdz[base.z + co], xdz[base.w + co]);
        let a = select(vec4<f32>(0.0), za, ok);
        let kr = kb + co;
        let b0 = vec4<f32>(xkernel[kr + n0.x], xkernel[kr + n0.y], xkernel[kr + n0.z], xkernel[kr + n0.w]);
        var b1 = vec4<f32>(0.0);
        if (RN == 8u) {
          b1 = vec4<f32>(xkernel[kr + n1.x], xkernel[kr + n1.y], xkernel[kr + n1.z], xkernel[kr + n1.w]);
        } else if (RN == 6u) {
          b1 = vec4<f32>(xkernel[kr + n1.x], xkernel[kr + n1.y], 0.0, 0.0);
        }
        fma4x8(&acc, a, b0, b1);
        if (RM == 8u) {
          let z1 = vec4<f32>(xdz[base1.x + co], xdz[base1.y + co], xdz[base1.z + co], xdz[base1.w + co]);
          fma4x8(&acc1, select(vec4<f32>(0.0), z1, ok1), b0, b1);
        }
      }
    }
  }
  storeDx(acc[0], rows.x, c0);
  storeDx(acc[2], rows.y, c0);
  storeDx(acc[4], rows.z, c0);
  storeDx(acc[6], rows.w, c0);
  if (RN > 4u) {
    storeDx(acc[1], rows.x, c1);
    storeDx(acc[3], rows.y, c1);
    storeDx(acc[5], rows.z, c1);
    storeDx(acc[7], rows.w, c1);
  }
  if (RM == 8u) {
    storeDx(acc1[0], rows1.x, c0);
    storeDx(acc1[2], rows1.y, c0);
    storeDx(acc1[4], rows1.z, c0);
    storeDx(acc1[6], rows1.w, c0);
    if (RN > 4u) {
      storeDx(acc1[1], rows1.x, c1);
      storeDx(acc1[3], rows1.y, c1);
      storeDx(acc1[5], rows1.z, c1);
      storeDx(acc1[7], rows1.w, c1);
    }
  }
}

// ---------------------------------------------------------------- backward_dw
@group(0) @binding(0) var<storage, read> wx: array<f32>;
@group(0) @binding(1) var<storage, read> wdz: array<f32>;
@group(0) @binding(2) var<storage, read_write> wdkernel: array<f32>;
@group(0) @binding(3) var<storage, read_write> wdbias: array<f32>;

fn storeDw(acc: vec4<f32>, r: u32, c: vec4<u32>, z: u32) {
  let KHWC = KH * KW * CIN;
  if (r > KHWC) { return; }
  let v = array<f32, 4>(acc.x, acc.y, acc.z, acc.w);
  for (var j = 0u; j < 4u; j++) {
    let n = c[j];
    if (n < COUT) {
      if (SPLITS > 1u) {
        wdkernel[(z * (KHWC + 1u) + r) * COUT + n] = v[j];
      } else if (r < KHWC) {
        wdkernel[r * COUT + n] = v[j];
      } else {
        wdbias[n] = v[j];
      }
    }
  }
}

/**
 * A(m = (ky, kx, ci), k = (b, oy, ox)) = x[b, oy*SH + ky - TOP, ox*SW + kx - LEFT, ci], row KH*KW*CIN ones;
 * B(k, n) = dZ[k, n]. With SPLITS > 1 binding 2 is the partial-sum buffer [SPLITS, KH*KW*CIN + 1, COUT].
 * Dispatch (ceil(COUT / (NL*RN)), ceil((KH*KW*CIN + 1) / (4*WG/NL)), SPLITS).
 */
@compute @workgroup_size(WG)
fn backward_dw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let KHWC = KH * KW * CIN;
  let rows = rowsOf(wid, lid);
  let m = min(rows, vec4<u32>(KHWC));
  let c0 = colsOf(wid, lid, 0u);
  let c1 = colsOf(wid, lid, 1u);
  let n0 = min(c0, vec4<u32>(COUT - 1u));
  let n1 = min(c1, vec4<u32>(COUT - 1u));
  let isTap = m < vec4<u32>(KHWC);
  let ones = select(vec4<f32>(1.0), vec4<f32>(0.0), isTap);
  let ci = m % CIN;
  let tapY = vec4<i32>((m / (CIN * KW)) % KH) - i32(TOP);
  let tapX = vec4<i32>((m / CIN) % KW) - i32(LEFT);
  let tapOff = (tapY * i32(W) + tapX) * i32(CIN) + vec4<i32>(ci);
  // K runs over whole output rows (KCHUNK is a multiple of OW): the row's checks are hoisted out of the ox loop.
  let rBegin = wid.z * (KCHUNK / OW);
  let rEnd = min(rBegin + KCHUNK / OW, BATCH * OH);
  var acc: array<vec4<f32>, 8>;
  for (var r = rBegin; r < rEnd; r++) {
    let py = i32((r % OH) * SH);
    let iy = tapY + py;
    let okY = isTap & select(vec4<bool>(true), (iy >= vec4<i32>(0)) & (iy < vec4<i32>(i32(H))), PADDED);
    let rowOff = tapOff + (i32((r / OH) * H) + py) * i32(W * CIN);
    for (var ox = 0u; ox < OW; ox++) {
      let ix = tapX + i32(ox * SW);
      let ok = okY & select(vec4<bool>(true), (ix >= vec4<i32>(0)) & (ix < vec4<i32>(i32(W))), PADDED);
      let at = vec4<u32>(select(vec4<i32>(0), rowOff + i32(ox * SW * CIN), ok));
      let a = select(ones, vec4<f32>(wx[at.x], wx[at.y], wx[at.z], wx[at.w]), ok);
      let kr = (r * OW + ox) * COUT;
      let b0 = vec4<f32>(wdz[kr + n0.x], wdz[kr + n0.y], wdz[kr + n0.z], wdz[kr + n0.w]);
      var b1 = vec4<f32>(0.0);
      if (RN == 8u) {
        b1 = vec4<f32>(wdz[kr + n1.x], wdz[kr + n1.y], wdz[kr + n1.z], wdz[kr + n1.w]);
      } else if (RN == 6u) {
        b1 = vec4<f32>(wdz[kr + n1.x], wdz[kr + n1.y], 0.0, 0.0);
      }
      fma4x8(&acc, a, b0, b1);
    }
  }
  storeDw(acc[0], rows.x, c0, wid.z);
  storeDw(acc[2], rows.y, c0, wid.z);
  storeDw(acc[4], rows.z, c0, wid.z);
  storeDw(acc[6], rows.w, c0, wid.z);
  if (RN > 4u) {
    storeDw(acc[1], rows.x, c1, wid.z);
    storeDw(acc[3], rows.y, c1, wid.z);
    storeDw(acc[5], rows.z, c1, wid.z);
    storeDw(acc[7], rows.w, c1, wid.z);
  }
}
