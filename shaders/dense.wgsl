// Dense (Keras kernel [in, out]) as tiled matmuls, forward and backward, tiled family (src/gpu/family.ts; the
// direct family runs Dense as a 1x1 conv through conv2d_direct.wgsl). `forward` with ACT = 0 is also the plain
// tiled matmul the kernel timings compare conv2d against.
//
// Every entry point is the tiled GEMM skeleton (shaders/lib/gemm_tiled.wgsl) C[M, N] = sum_k A(m, k) B(k, n)
// with the wide 4x4 register tile (shaders/lib/tile_wide.wgsl; WG = (TM / 4) * (TN / 4), the default of
// shaders/lib/tiles.wgsl) and its own stores; tiles load through shaders/lib/tile_load_a.wgsl and tile_load_b.wgsl
// from the element hooks below where A or B is read row by row. Shapes are `override` constants so the index
// arithmetic folds; no Params uniform is needed. Dispatch: (ceil(N / TN), ceil(M / TM), 1) workgroups.
//
// Activations (ACT, shaders/lib/act.wgsl): the fusable ones (src/ops/common.ts FUSABLE). Each of them has
// a derivative that is a function of its output y, so the backward kernels turn dY into dZ = dY * act'(y)
// while loading tiles, without a separate pass. (softmax, swish, gelu go through activations.wgsl instead.)
//! use act tile_wide gemm_tiled(fwd) gemm_tiled(dx) gemm_tiled(dw) tile_load_a(fwd) tile_load_a(dx)
//! use tile_load_b(fwd) tile_load_b(dw)

// Problem size of this pipeline: batch rows, input features, output units.
override ROWS: u32 = 1u;
override FIN: u32 = 1u;
override FOUT: u32 = 1u;

// ---- forward: y[r, j] = act(sum_i x[r, i] K[i, j] + b[j]); M = ROWS, N = FOUT, K = FIN.
//! bindings fx fkernel fbias -> fy

fn fwd_aAt(r: u32, c: u32, kEnd: u32) -> f32 { return select(0.0, fx[r * FIN + c], r < ROWS && c < kEnd); }
fn fwd_bAt(k: u32, n: u32, kEnd: u32) -> f32 { return select(0.0, fkernel[k * FOUT + n], k < kEnd && n < FOUT); }

fn fwd_store(m: u32, n: u32, v: f32) {
  if (m < ROWS && n < FOUT) { fy[m * FOUT + n] = act(v + fbias[n]); }
}

/** One invocation: a 4x4 block of y. Dispatch (ceil(FOUT / TN), ceil(ROWS / TM), 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  fwd_gemm(wid, lid, 0u, FIN);
}

// ---- dX[r, i] = sum_j dZ[r, j] K[i, j], dZ = dY * act'(y); M = ROWS, N = FIN, K = FOUT.
//! bindings xdy xy xkernel -> xdx

fn dx_aAt(r: u32, c: u32, kEnd: u32) -> f32 {
  if (r >= ROWS || c >= kEnd) { return 0.0; }
  return xdy[r * FOUT + c] * actGradFromY(xy[r * FOUT + c]);
}

/** B(k = j, n = i) = K[i, j]: consecutive invocations walk j, which is contiguous in K. */
fn dx_loadB(n0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TK * TN; i += WG) {
    let kj = k0 + i % TK;
    let ni = n0 + i / TK;
    Bs[(i % TK) * TN + i / TK] = select(0.0, xkernel[ni * FOUT + kj], kj < kEnd && ni < FIN);
  }
}

fn dx_store(m: u32, n: u32, v: f32) {
  if (m < ROWS && n < FIN) { xdx[m * FIN + n] = v; }
}

/** One invocation: a 4x4 block of dX = dZ K^T. Dispatch (ceil(FIN / TN), ceil(ROWS / TM), 1). */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dx_gemm(wid, lid, 0u, FOUT);
}

// ---- dK[i, j] = sum_r x[r, i] dZ[r, j] and db[j] = sum_r dZ[r, j], as one matmul whose A has an extra
// row of ones (row FIN): M = FIN + 1, N = FOUT, K = ROWS.
//! bindings wx wdy wy -> wdkernel wdbias

/** A(m = i, k = r) = x[r, i]: consecutive invocations walk i, contiguous in x. */
fn dw_loadA(m0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TM * TK; i += WG) {
    let mi = m0 + i % TM;
    let kr = k0 + i / TM;
    var v = 0.0;
    if (kr < kEnd) {
      if (mi < FIN) {
        v = wx[kr * FIN + mi];
      } else if (mi == FIN) {
        v = 1.0;
      }
    }
    As[i] = v;
  }
}

/** B(k = r, n = j) = dZ[r, j]. */
fn dw_bAt(r: u32, j: u32, kEnd: u32) -> f32 {
  if (r >= kEnd || j >= FOUT) { return 0.0; }
  return wdy[r * FOUT + j] * actGradFromY(wy[r * FOUT + j]);
}

fn dw_store(m: u32, n: u32, v: f32) {
  if (n >= FOUT) { return; }
  if (m < FIN) {
    wdkernel[m * FOUT + n] = v;
  } else if (m == FIN) {
    wdbias[n] = v;
  }
}

/** One invocation: a 4x4 block of [dK; db] = [x^T; 1^T] dZ. Dispatch (ceil(FOUT / TN), ceil((FIN + 1) / TM), 1). */
@compute @workgroup_size(WG)
fn backward_dw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  dw_gemm(wid, lid, 0u, ROWS);
}
