// The wide 4x4 register tile only (shaders/lib/tiles.wgsl): NARROW is the constant false. Use with gemm_tiled
// when N is never narrow, as in dense.wgsl.

const NARROW: bool = false;

/** (tx, ty) of this invocation's register tile. */
fn lanes(lid: u32) -> vec2<u32> {
  return vec2<u32>(lid % (TN / 4u), lid / (TN / 4u));
}

/** lo += A tile x B tile over the TK staged k's (hi is unused). */
fn mma(lo: ptr<function, array<vec4<f32>, 4>>, hi: ptr<function, array<vec4<f32>, 4>>, t: vec2<u32>) {
  for (var kk = 0u; kk < TK; kk++) {
    wideStep(lo, t, kk);
  }
}
