// The B tile of the tiled GEMM (shaders/lib/gemm_tiled.wgsl) from an element hook, one instance per entry point
// (`//! use tile_load_b(fwd)` defines fwd_loadB). Invocations side by side take consecutive n, so a B stored
// row-major (kernels [K, N], dZ [pixels, channels]) is read contiguously.
//   fn $_bAt(k: u32, n: u32, kEnd: u32) -> f32   B(k, n); 0 where k >= kEnd or n lies past the last column

fn $_loadB(n0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TK * TN; i += WG) {
    Bs[i] = $_bAt(k0 + i / TN, n0 + i % TN, kEnd);
  }
}
