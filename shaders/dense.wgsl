// Dense (Keras kernel [in, out]) as tiled matmuls, forward and backward, tiled family (src/gpu/family.ts; the
// direct family runs Dense as a 1x1 conv through conv2d_direct.wgsl). `forward` with ACT = 0 is also the plain
// tiled matmul the kernel timings compare conv2d against.
//
// Every entry point is the tiled GEMM skeleton (shaders/lib/gemm_tiled.wgsl) C[M, N] = sum_k A(m, k) B(k, n)
// with the wide 4x4 register tile (shaders/lib/tile_wide.wgsl; WG = (TM / 4) * (TN / 4), the default of
// shaders/lib/tiles.wgsl) and its own tile loads and stores. Shapes are `override` constants so the index
// arithmetic folds; no Params uniform is needed. Dispatch: (ceil(N / TN), ceil(M / TM), 1) workgroups.
//
// Activations (ACT, shaders/lib/act.wgsl): the fusable ones (src/ops/common.ts FUSABLE). Each of them has
// a derivative that is a function of its output y, so the backward kernels turn dY into dZ = dY * act'(y)
// while loading tiles, without a separate pass. (softmax, swish, gelu go through activations.wgsl instead.)
//! use act tile_wide gemm_tiled(fwd) gemm_tiled(dx) gemm_tiled(dw)

// Problem size of this pipeline: batch rows, input features, output units.
override ROWS: u32 = 1u;
override FIN: u32 = 1u;
override FOUT: u32 = 1u;

// ---- forward: y[r, j] = act(sum_i x[r, i] K[i, j] + b[j]); M = ROWS, N = FOUT, K = FIN.
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fkernel: array<f32>;
@group(0) @binding(2) var<storage, read> fbias: array<f32>;
@group(0) @binding(3) var<storage, read_write> fy: array<f32>;

fn fwd_loadA(m0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TM * TK; i += WG) {
    let r = m0 + i / TK;
    let c = k0 + i % TK;
    As[(i % TK) * TM + i / TK] = select(0.0, fx[r * FIN + c], r < ROWS && c < kEnd);
  }
}

fn fwd_loadB(n0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TK * TN; i += WG) {
    let r = k0 + i / TN;
    let c = n0 + i % TN;
    Bs[i] = select(0.0, fkernel[r * FOUT + c], r < kEnd && c < FOUT);
  }
}

fn fwd_store(m: u32, n: u32, v: f32) {
  if (m < ROWS && n < FOUT) { fy[m * FOUT + n] = act(v + fbias[n]); }
}

/** One invocation: a 4x4 block of y. Dispatch (ceil(FOUT / TN), ceil(ROWS / TM), 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  fwd_gemm(wid, lid, 0u, FIN);
}

// ---- dX[r, i] = sum_j dZ[r, j] K[i, j], dZ = dY * act'(y); M = ROWS, N = FIN, K = FOUT.
@group(0) @binding(0) var<storage, read> xdy: array<f32>;
@group(0) @binding(1) var<storage, read> xy: array<f32>;
@group(0) @binding(2) var<storage, read> xkernel: array<f32>;
@group(0) @binding(3) var<storage, read_write> xdx: array<f32>;

fn dx_loadA(m0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TM * TK; i += WG) {
    let r = m0 + i / TK;
    let c = k0 + i % TK;
    var v = 0.0;
    if (r < ROWS && c < kEnd) {
      let o = r * FOUT + c;
      v = xdy[o] * actGradFromY(xy[o]);
    }
    As[(i % TK) * TM + i / TK] = v;
  }
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
@group(0) @binding(0) var<storage, read> wx: array<f32>;
@group(0) @binding(1) var<storage, read> wdy: array<f32>;
@group(0) @binding(2) var<storage, read> wy: array<f32>;
@group(0) @binding(3) var<storage, read_write> wdkernel: array<f32>;
@group(0) @binding(4) var<storage, read_write> wdbias: array<f32>;

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

fn dw_loadB(n0: u32, k0: u32, kEnd: u32, lid: u32) {
  for (var i = lid; i < TK * TN; i += WG) {
    let r = k0 + i / TN;
    let c = n0 + i % TN;
    var v = 0.0;
    if (r < kEnd && c < FOUT) {
      let o = r * FOUT + c;
      v = wdy[o] * actGradFromY(wy[o]);
    }
    Bs[i] = v;
  }
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
