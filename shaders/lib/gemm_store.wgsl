// Stores one lane's register block of a direct GEMM (shaders/lib/blocks.wgsl: acc[2i + h] holds row i, columns
// half h) through the shader's hook, one instance per entry point (`//! use gemm_store(dw)` defines
// dw_storeBlock):
//   fn $_store(v: vec4<f32>, m: u32, n: vec4<u32>)  C(m, n) = v; m and n may lie past the edge of C: skip them
// Rows by constant index: indexing the block with a loop variable makes SwiftShader keep it in memory.

/** Rows r of the block, columns c0 (and c1 when RN > 4). */
fn $_storeBlock(acc: array<vec4<f32>, 8>, r: vec4<u32>, c0: vec4<u32>, c1: vec4<u32>) {
  $_store(acc[0], r.x, c0);
  $_store(acc[2], r.y, c0);
  $_store(acc[4], r.z, c0);
  $_store(acc[6], r.w, c0);
  if (RN > 4u) {
    $_store(acc[1], r.x, c1);
    $_store(acc[3], r.y, c1);
    $_store(acc[5], r.z, c1);
    $_store(acc[7], r.w, c1);
  }
}
