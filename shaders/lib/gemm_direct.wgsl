// The direct (barrier-free) conv GEMM skeleton, one instance per entry point (`//! use gemm_direct(fwd)`
// defines fwd_gemm): C[M, N] = sum over the KH x KW kernel taps and C_IN inner steps c of A B, the K loop nested
// over the taps so padding checks and address decoding happen once per tap, not once per k. Each invocation
// computes RM x RN of C (shaders/lib/blocks.wgsl); out-of-range rows and columns are clamped to the last
// valid one so loads need no masks (their results are never stored). A plain GEMM is KH = KW = 1.
// Hooks the shader defines:
//   fn $_shape() -> vec3<u32>                      (M, N, inner steps per tap)
//   fn $_rows(m: vec4<u32>) -> Rows                 decode four (clamped) rows of C
//   fn $_tapRow(r: Rows, ky: u32) -> Tap           what those rows' taps of kernel row ky share (any encoding)
//   fn $_tap(t: Tap, kx: u32) -> Tap                where those rows' A values of tap (ky, kx) start, and whether the tap exists
//   fn $_a(at: u32) -> f32                          A element at `Tap.base + c`
//   fn $_bCol(n: vec4<u32>) -> vec4<u32>            offset of columns n in the B source
//   fn $_bTap(ky: u32, kx: u32) -> u32              what the B offsets of tap (ky, kx) share
//   fn $_bRow(kb: u32, c: u32) -> u32               offset of inner step c of that tap in the B source
//   fn $_b(at: u32) -> f32                          B element at `bRow + bCol`
//   fn $_skipTaps() -> bool                         skip taps no row of a SIMD group has (worth it where most are missing)
// The split into rows, kernel rows, taps and inner steps is deliberate: SwiftShader's JIT runs few LLVM passes,
// so what is not hoisted by hand is recomputed in the inner loop.
//   fn $_store(v: vec4<f32>, m: u32, n: vec4<u32>)  C(m, n) = v; m and n may lie past the edge of C: skip them
//                                                   (shaders/lib/gemm_store.wgsl)
// Dispatch (ceil(N / (NL*RN)), ceil(M / (RM*WG/NL)), 1).
//! use blocks conv_geometry gemm_store($)

fn $_gemm(wid: vec3<u32>, lid: u32) {
  let shape = $_shape();
  let rows = rowsOf(wid, lid);
  let rows1 = rows + vec4<u32>(4u * (WG / NL));
  let r0 = $_rows(min(rows, vec4<u32>(shape.x - 1u)));
  let r1 = $_rows(min(rows1, vec4<u32>(shape.x - 1u)));
  let c0 = colsOf(wid, lid, 0u);
  let c1 = colsOf(wid, lid, 1u);
  let n0 = $_bCol(min(c0, vec4<u32>(shape.y - 1u)));
  let n1 = $_bCol(min(c1, vec4<u32>(shape.y - 1u)));
  var acc: array<vec4<f32>, 8>;
  var acc1: array<vec4<f32>, 8>; // rows 4..7 (RM = 8)
  for (var ky = 0u; ky < KH; ky++) {
    let y0 = $_tapRow(r0, ky);
    let y1 = $_tapRow(r1, ky);
    for (var kx = 0u; kx < KW; kx++) {
      let t0 = $_tap(y0, kx);
      let t1 = $_tap(y1, kx);
      let kb = $_bTap(ky, kx);
      // With $_skipTaps, a tap no row has (a strided dX's taps between strides) costs nothing once all lanes of
      // a SIMD group lack it: SwiftShader leaves a loop when no lane is left in it. Elsewhere the loop keeps its
      // constant trip count: a per-lane bound makes SwiftShader mask every accumulator update (LeNet conv2's
      // stride-1 dX ~1.4x more CPU with it).
      let skip = $_skipTaps() && !(any(t0.ok) || (RM == 8u && any(t1.ok)));
      let steps = select(shape.z, 0u, skip);
      for (var c = 0u; c < steps; c++) {
        let a = vec4<f32>($_a(t0.base.x + c), $_a(t0.base.y + c), $_a(t0.base.z + c), $_a(t0.base.w + c));
        let kr = $_bRow(kb, c);
        let b0 = vec4<f32>($_b(kr + n0.x), $_b(kr + n0.y), $_b(kr + n0.z), $_b(kr + n0.w));
        var b1 = vec4<f32>(0.0);
        if (RN == 8u) {
          b1 = vec4<f32>($_b(kr + n1.x), $_b(kr + n1.y), $_b(kr + n1.z), $_b(kr + n1.w));
        } else if (RN == 6u) {
          b1 = vec4<f32>($_b(kr + n1.x), $_b(kr + n1.y), 0.0, 0.0);
        }
        fma4x8(&acc, select(vec4<f32>(0.0), a, t0.ok), b0, b1);
        if (RM == 8u) {
          let a1 = vec4<f32>($_a(t1.base.x + c), $_a(t1.base.y + c), $_a(t1.base.z + c), $_a(t1.base.w + c));
          fma4x8(&acc1, select(vec4<f32>(0.0), a1, t1.ok), b0, b1);
        }
      }
    }
  }
  $_storeBlock(acc, rows, c0, c1);
  if (RM == 8u) {
    $_storeBlock(acc1, rows1, c0, c1);
  }
}
