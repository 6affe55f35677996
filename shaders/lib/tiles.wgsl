// Workgroup tiles and register tiles of the tiled GEMM family (src/gpu/family.ts), for C[M, N] =
// sum_k A(m, k) B(k, n): a workgroup owns a TM x TN tile of C and stages A as [TK][TM] (As) and B as [TK][TN]
// (Bs) in workgroup memory. Declares the overrides TM, TN, TK, NARROW and WG (the user must not).
//
// Register tiles. Wide (NARROW = false): invocation (tx, ty) owns rows ty + i*TM/4 and columns tx + j*TN/4
// (4x4), WG = (TM/4)*(TN/4), so invocations side by side share ty and have consecutive tx. Narrow (N <= 8,
// TN = 8): invocation ty owns rows ty + i*TM/4 and all 8 columns (4x8), WG = TM/4. Either way neighbouring
// invocations read workgroup memory at one shared address or at consecutive addresses, which SIMD
// implementations (SwiftShader runs invocations as 4-wide vector lanes) serve with one load, not a gather.

override TM: u32 = 64u;
override TN: u32 = 64u;
override TK: u32 = 8u;
override NARROW: bool = false;
override WG: u32 = (TM / 4u) * (TN / 4u);

var<workgroup> As: array<f32, TM * TK>; // [TK][TM]
var<workgroup> Bs: array<f32, TK * TN>; // [TK][TN]

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
fn jCount() -> u32 { return select(4u, 8u, NARROW); }
fn colOf(t: vec2<u32>, j: u32) -> u32 { return select(t.x + j * (TN / 4u), j, NARROW); }
fn accAt(acc: ptr<function, array<vec4<f32>, 8>>, i: u32, j: u32) -> f32 {
  if (NARROW) { return (*acc)[2u * i + j / 4u][j % 4u]; }
  return (*acc)[i][j];
}
