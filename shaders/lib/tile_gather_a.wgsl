// A conv GEMM's A tile gathered from an image (shaders/conv2d.wgsl forward and backward_dx) for the tiled
// skeleton (shaders/lib/gemm_tiled.wgsl), one instance per entry point (`//! use tile_gather_a(fwd)` defines
// fwd_loadA and fwd_decodeRows). The entry point first decodes the workgroup's TM rows once into the shader's
// `var<workgroup> rowInfo: array<vec4<i32>, TM>` ($_decodeRows); each load then decodes its k once and fills its
// tile rows from rowInfo. Invocations side by side take consecutive k: consecutive channels of one pixel. Hooks:
//   fn $_row(m: u32) -> vec4<i32>                     what A's row m needs (its pixel, any encoding), m may lie past M
//   fn $_aTap(k: u32) -> vec4<i32>                    what every row's A(., k) shares (the kernel tap, any encoding)
//   fn $_aAt(row: vec4<i32>, tap: vec4<i32>) -> f32   A at a decoded row and tap; 0 where the tap misses the image

fn $_loadA(m0: u32, k0: u32, kEnd: u32, lid: u32) {
  let kk = lid % TK;
  let tap = $_aTap(k0 + kk);
  for (var r = lid / TK; r < TM; r += WG / TK) {
    As[kk * TM + r] = select(0.0, $_aAt(rowInfo[r], tap), k0 + kk < kEnd);
  }
}

/** rowInfo[r] = $_row(m0 + r) for the workgroup's TM rows, then a barrier. */
fn $_decodeRows(m0: u32, lid: u32) {
  for (var r = lid; r < TM; r += WG) {
    rowInfo[r] = $_row(m0 + r);
  }
  workgroupBarrier();
}
