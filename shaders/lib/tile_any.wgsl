// The narrow 4x8 or the wide 4x4 register tile (shaders/lib/tiles.wgsl), picked by the NARROW override per
// pipeline (the user must not declare it). Use with gemm_tiled, as in conv2d.wgsl.

override NARROW: bool = false;

/** (tx, ty) of this invocation's register tile. */
fn lanes(lid: u32) -> vec2<u32> {
  if (NARROW) { return vec2<u32>(0u, lid); }
  return vec2<u32>(lid % (TN / 4u), lid / (TN / 4u));
}

fn mmaStep(lo: ptr<function, array<vec4<f32>, 4>>, hi: ptr<function, array<vec4<f32>, 4>>, t: vec2<u32>, kk: u32) {
  if (NARROW) {
    narrowStep(lo, hi, t, kk);
  } else {
    wideStep(lo, t, kk);
  }
}

/** lo, hi += A tile x B tile over the TK staged k's (TK a multiple of 4; unrolled by 4 for SIMD emulators). */
fn mma(lo: ptr<function, array<vec4<f32>, 4>>, hi: ptr<function, array<vec4<f32>, 4>>, t: vec2<u32>) {
  for (var kk = 0u; kk < TK; kk += 4u) {
    mmaStep(lo, hi, t, kk);
    mmaStep(lo, hi, t, kk + 1u);
    mmaStep(lo, hi, t, kk + 2u);
    mmaStep(lo, hi, t, kk + 3u);
  }
}
