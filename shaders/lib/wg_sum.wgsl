// A workgroup's tree sum of vec4 partials: each invocation writes red[lid], then every invocation calls
// wgSum(lid) and reads the total in red[0]. The shader declares `override WG: u32` (a power of two).

var<workgroup> red: array<vec4<f32>, WG>;

/** Tree sum of red[] into red[0]; every invocation must call it. */
fn wgSum(lid: u32) {
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (lid < s) { red[lid] += red[lid + s]; }
  }
  workgroupBarrier();
}
