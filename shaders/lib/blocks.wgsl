// Register blocks of the direct (barrier-free) GEMM family (src/gpu/family.ts): each invocation computes a
// 4 x RN block of C (8 x RN with RM = 8) reading A and B straight from storage, no workgroup memory, no barrier.
// Declares the overrides NL, RN, WG, RM (the user must not).
//
// Lanes. Invocation lid is (tx, ty) = (lid % NL, lid / NL): rows m0 + ty + i*(WG/NL) (i < 4), columns
// n0 + tx + j*NL (j < RN). NL = 1 (narrow N): all invocations of a SIMD group share the columns, so B loads
// are one broadcast, and rows are consecutive, so A loads are consecutive where the GEMM's A is. NL > 1 (wide
// N): NL invocations share the rows (A is a broadcast) and take consecutive columns (B is a vector load).
// SwiftShader runs invocations as 4-wide lanes and only avoids a per-lane gather in these two cases.

override NL: u32 = 1u;
/** Columns per invocation: 4, 6 or 8. */
override RN: u32 = 8u;
override WG: u32 = 64u;
/** Rows per invocation: 4 or 8. */
override RM: u32 = 4u;

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

/** Four rows of C decoded by a GEMM's A side (what each hook needs: pixel coordinates, offsets). */
struct Rows {
  y: vec4<i32>,
  x: vec4<i32>,
  z: vec4<i32>,
}

/**
 * Where each of four rows' A values of one kernel tap start, and whether the tap exists for that row; for a
 * whole kernel row, `base` and `x` hold what its taps share (the user's encoding).
 */
struct Tap {
  base: vec4<u32>,
  x: vec4<i32>,
  ok: vec4<bool>,
}
