// The tiled GEMM skeleton (one instance per entry point: `//! use gemm_tiled(fwd)` defines fwd_gemm). It walks
// K in steps of TK: the hooks fill the workgroup tiles, a barrier, the register-tile product (shaders/lib/
// tiles.wgsl), a barrier; then hands each element of the invocation's register tile to the store hook.
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
  var acc: array<vec4<f32>, 8>;
  for (var k0 = kBegin; k0 < kEnd; k0 += TK) {
    $_loadA(m0, k0, kEnd, lid);
    $_loadB(n0, k0, kEnd, lid);
    workgroupBarrier();
    mma(&acc, t);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + t.y + i * (TM / 4u);
    for (var j = 0u; j < jCount(); j++) {
      $_store(m, n0 + colOf(t, j), accAt(&acc, i, j));
    }
  }
}
