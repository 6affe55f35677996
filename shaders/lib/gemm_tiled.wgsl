// The tiled GEMM skeleton (one instance per entry point: `//! use gemm_tiled(fwd)` defines fwd_gemm). It walks
// K in steps of TK: the hooks fill the workgroup tiles, a barrier, the register-tile product (shaders/lib/
// tiles.wgsl), a barrier; then hands each element of the invocation's register tile to the store hook. The
// shader also uses `tile_wide` or `tile_any` (which register tile: see shaders/lib/tiles.wgsl).
// Hooks the shader defines (all invocations of the workgroup call the load hooks with the same arguments):
//   fn $_loadA(m0: u32, k0: u32, kEnd: u32, lid: u32)  fills As[kk * TM + r] = A(m0 + r, k0 + kk), 0 past the edges
//   fn $_loadB(n0: u32, k0: u32, kEnd: u32, lid: u32)  fills Bs[kk * TN + c] = B(k0 + kk, n0 + c), 0 past the edges
//   fn $_store(m: u32, n: u32, v: f32)                 C(m, n) = v; m and n may lie past the edge of C: skip them
// Dispatch (ceil(N / TN), ceil(M / TM), z) workgroups of WG; K runs from kBegin to kEnd.
//! use tiles

fn $_gemm(wid: vec3<u32>, lid: u32, kBegin: u32, kEnd: u32) {
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let t = lanes(lid);
  var lo: array<vec4<f32>, 4>;
  var hi: array<vec4<f32>, 4>;
  for (var k0 = kBegin; k0 < kEnd; k0 += TK) {
    $_loadA(m0, k0, kEnd, lid);
    $_loadB(n0, k0, kEnd, lid);
    workgroupBarrier();
    mma(&lo, &hi, t);
    workgroupBarrier();
  }
  // Rows taken out by constant index: indexing the array with a loop variable makes SwiftShader keep it in
  // memory instead of registers.
  let m = m0 + t.y;
  let sm = TM / 4u;
  if (NARROW) {
    $_storeRow(m, n0, t, lo[0], hi[0]);
    $_storeRow(m + sm, n0, t, lo[1], hi[1]);
    $_storeRow(m + 2u * sm, n0, t, lo[2], hi[2]);
    $_storeRow(m + 3u * sm, n0, t, lo[3], hi[3]);
  } else {
    $_storeRow(m, n0, t, lo[0], lo[0]);
    $_storeRow(m + sm, n0, t, lo[1], lo[1]);
    $_storeRow(m + 2u * sm, n0, t, lo[2], lo[2]);
    $_storeRow(m + 3u * sm, n0, t, lo[3], lo[3]);
  }
}

/** One row of the register tile: wide, lo at columns t.x + j*TN/4; narrow, lo then hi at columns 0..7. */
fn $_storeRow(m: u32, n0: u32, t: vec2<u32>, lo: vec4<f32>, hi: vec4<f32>) {
  for (var j = 0u; j < 4u; j++) {
    if (NARROW) {
      $_store(m, n0 + j, lo[j]);
      $_store(m, n0 + 4u + j, hi[j]);
    } else {
      $_store(m, n0 + t.x + j * (TN / 4u), lo[j]);
    }
  }
}
