// The A tile of the tiled GEMM (shaders/lib/gemm_tiled.wgsl) from an element hook, one instance per entry point
// (`//! use tile_load_a(fwd)` defines fwd_loadA). Invocations side by side take consecutive k, so an A stored
// row-major (Dense's x and dZ) is read contiguously.
//   fn $_aAt(m: u32, k: u32, kEnd: u32) -> f32   A(m, k); 0 where k >= kEnd or m lies past the last row

fn $_loadA(m0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TM * TK; i += WG) {
    As[(i % TK) * TM + i / TK] = $_aAt(m0 + i / TK, k0 + i % TK, kEnd);
  }
}
