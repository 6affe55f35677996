// Workgroup tiles and register tiles of the tiled GEMM family (src/gpu/family.ts), for C[M, N] =
// sum_k A(m, k) B(k, n): a workgroup owns a TM x TN tile of C and stages A as [TK][TM] (As) and B as [TK][TN]
// (Bs) in workgroup memory. Declares the overrides TM, TN, TK and WG (the user must not).
//
// Register tiles. Wide: invocation (tx, ty) owns rows ty + i*TM/4 and columns tx + j*TN/4 (4x4),
// WG = (TM/4)*(TN/4), so invocations side by side share ty and have consecutive tx. Narrow (N <= 8, TN = 8):
// invocation ty owns rows ty + i*TM/4 and all 8 columns (4x8), WG = TM/4. Either way neighbouring invocations
// read workgroup memory at one shared address or at consecutive addresses, which SIMD implementations
// (SwiftShader runs invocations as 4-wide vector lanes) serve with one load, not a gather. Row i of the
// register tile is lo[i] (wide), or lo[i] and hi[i] (narrow: columns 0..3 and 4..7).
// The shader picks the register tile and its product `mma` with one more piece: `tile_wide` (always 4x4, the
// k loop as is; NARROW is the constant false) or `tile_any` (the NARROW override picks per pipeline; the k
// loop unrolled by 4). Measured on SwiftShader: the unrolled loop made Dense's kernels (TK = 8) 1.2-1.9x
// slower, the plain one is as fast as Dense's own loop was; conv2d's kernels were tuned with the unrolled one.

override TM: u32 = 64u;
override TN: u32 = 64u;
override TK: u32 = 8u;
override WG: u32 = (TM / 4u) * (TN / 4u);

var<workgroup> As: array<f32, TM * TK>; // [TK][TM]
var<workgroup> Bs: array<f32, TK * TN>; // [TK][TN]

/** The four A-tile values of this invocation's rows at k = kk. */
fn aRows(t: vec2<u32>, kk: u32) -> vec4<f32> {
  let sm = TM / 4u;
  let ao = kk * TM + t.y;
  return vec4<f32>(As[ao], As[ao + sm], As[ao + 2u * sm], As[ao + 3u * sm]);
}

/** lo += one k of the wide 4x4 tile. */
fn wideStep(lo: ptr<function, array<vec4<f32>, 4>>, t: vec2<u32>, kk: u32) {
  let a = aRows(t, kk);
  let sn = TN / 4u;
  let bo = kk * TN + t.x;
  let b = vec4<f32>(Bs[bo], Bs[bo + sn], Bs[bo + 2u * sn], Bs[bo + 3u * sn]);
  (*lo)[0] += a.x * b;
  (*lo)[1] += a.y * b;
  (*lo)[2] += a.z * b;
  (*lo)[3] += a.w * b;
}

/** lo, hi += one k of the narrow 4x8 tile. */
fn narrowStep(lo: ptr<function, array<vec4<f32>, 4>>, hi: ptr<function, array<vec4<f32>, 4>>, t: vec2<u32>, kk: u32) {
  let a = aRows(t, kk);
  let bo = kk * 8u;
  let b0 = vec4<f32>(Bs[bo], Bs[bo + 1u], Bs[bo + 2u], Bs[bo + 3u]);
  let b1 = vec4<f32>(Bs[bo + 4u], Bs[bo + 5u], Bs[bo + 6u], Bs[bo + 7u]);
  (*lo)[0] += a.x * b0;
  (*hi)[0] += a.x * b1;
  (*lo)[1] += a.y * b0;
  (*hi)[1] += a.y * b1;
  (*lo)[2] += a.z * b0;
  (*hi)[2] += a.z * b1;
  (*lo)[3] += a.w * b0;
  (*hi)[3] += a.w * b1;
}
