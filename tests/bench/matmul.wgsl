// The yardsticks: two plain matmuls C[M,N] = A[M,K] B[K,N], row-major, N a multiple of 4, no fusion.
// `tiled`: the textbook GPU tiling, a 16x16 workgroup computes a 64x64 tile of C through workgroup memory
//   (K in steps of 16), each invocation a 4x4 block as four vec4 rows. Dispatch (ceil(N/64), ceil(M/64), 1).
// `direct`: no workgroup memory, each invocation a 4x4 block read straight from A and B (vec4 columns);
//   on a CPU adapter (SwiftShader) barriers cost more than caches save. Dispatch (ceil(N/32), ceil(M/32), 1).
// The bench reports the faster of the two for each size.
override M: u32;
override N: u32;
override K: u32;
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;

const TILE: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> As: array<f32, 1024>;      // [TK][TILE] (transposed: k-major)
var<workgroup> Bs: array<vec4<f32>, 256>; // [TK][TILE/4]
@compute @workgroup_size(16, 16)
fn tiled(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  let lin = lid.y * 16u + lid.x;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  let n4 = N / 4u;
  for (var k0 = 0u; k0 < K; k0 += TK) {
    for (var i = 0u; i < 4u; i++) {
      let e = lin + i * 256u;
      let ar = e / TK;
      let ak = e % TK;
      let gr = row0 + ar;
      let gk = k0 + ak;
      As[ak * TILE + ar] = select(0.0, a[gr * K + gk], gr < M && gk < K);
    }
    {
      let bk = lin / 16u;
      let bc = lin % 16u;
      let gk = k0 + bk;
      let gc = col0 / 4u + bc;
      Bs[lin] = select(vec4<f32>(0.0), b[gk * n4 + gc], gk < K && gc < n4);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      let bv = Bs[kk * 16u + lid.x];
      let base = kk * TILE + lid.y * 4u;
      acc0 += As[base] * bv;
      acc1 += As[base + 1u] * bv;
      acc2 += As[base + 2u] * bv;
      acc3 += As[base + 3u] * bv;
    }
    workgroupBarrier();
  }
  let r = row0 + lid.y * 4u;
  let cc = col0 / 4u + lid.x;
  if (cc < n4) {
    if (r < M) { c[r * n4 + cc] = acc0; }
    if (r + 1u < M) { c[(r + 1u) * n4 + cc] = acc1; }
    if (r + 2u < M) { c[(r + 2u) * n4 + cc] = acc2; }
    if (r + 3u < M) { c[(r + 3u) * n4 + cc] = acc3; }
  }
}

@compute @workgroup_size(8, 8)
fn direct(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n4 = N / 4u;
  let col = gid.x;
  let r = gid.y * 4u;
  if (col >= n4 || r >= M) { return; }
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  let r1 = min(r + 1u, M - 1u);
  let r2 = min(r + 2u, M - 1u);
  let r3 = min(r + 3u, M - 1u);
  for (var k = 0u; k < K; k++) {
    let bv = b[k * n4 + col];
    acc0 += a[r * K + k] * bv;
    acc1 += a[r1 * K + k] * bv;
    acc2 += a[r2 * K + k] * bv;
    acc3 += a[r3 * K + k] * bv;
  }
  c[r * n4 + col] = acc0;
  if (r + 1u < M) { c[(r + 1u) * n4 + col] = acc1; }
  if (r + 2u < M) { c[(r + 2u) * n4 + col] = acc2; }
  if (r + 3u < M) { c[(r + 3u) * n4 + col] = acc3; }
}
