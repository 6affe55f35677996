// Dense (Keras kernel [in, out]) as tiled matmuls, forward and backward, plus the plain tiled matmul the
// benchmarks compare conv2d against (`forward` with ACT = 0).
//
// All three entry points compute C[M, N] = sum_k A(m, k) B(k, n) the same way: a workgroup owns a TM x TN
// tile of C, walks K in steps of TK staging A and B tiles in workgroup memory, and each invocation keeps a
// 4x4 register tile (rows ty*4.., columns tx*4..). Shapes are `override` constants so the index arithmetic
// folds to constants; no Params uniform is needed. Dispatch: (ceil(N / TN), ceil(M / TM), 1) workgroups of
// WG = (TM / 4) * (TN / 4) invocations.
//
// Activations (ACT, shaders/lib/act.wgsl): the fusable ones (src/ops/common.ts FUSABLE). Each of them has a derivative that is a function of its output y, so the backward kernels turn dY into
// dZ = dY * act'(y) while loading tiles, without a separate pass. (softmax, swish, gelu go through
// activations.wgsl instead.)
//! use act

override TM: u32 = 64;
override TN: u32 = 64;
override TK: u32 = 8;
override WG: u32 = (TM / 4u) * (TN / 4u);
// Problem size of this pipeline: batch rows, input features, output units.
override ROWS: u32 = 1u;
override FIN: u32 = 1u;
override FOUT: u32 = 1u;

var<workgroup> As: array<f32, TM * TK>; // [TK][TM]
var<workgroup> Bs: array<f32, TK * TN>; // [TK][TN]



/** acc[i] (a row of 4 outputs) += A tile row ty*4+i times B tile columns tx*4..tx*4+3, over the K tile. */
fn mma(acc: ptr<function, array<vec4<f32>, 4>>, ty: u32, tx: u32) {
  // Strided register tile: rows ty + i*TM/4, columns tx + j*TN/4. Invocations side by side share ty and
  // have consecutive tx, so A reads are one address for all of them and B reads are consecutive, which
  // SIMD implementations (SwiftShader runs invocations as vector lanes) load without gathers.
  let sn = TN / 4u;
  let sm = TM / 4u;
  for (var kk = 0u; kk < TK; kk++) {
    let ao = kk * TM + ty;
    let bo = kk * TN + tx;
    let b = vec4<f32>(Bs[bo], Bs[bo + sn], Bs[bo + 2u * sn], Bs[bo + 3u * sn]);
    (*acc)[0] += As[ao] * b;
    (*acc)[1] += As[ao + sm] * b;
    (*acc)[2] += As[ao + 2u * sm] * b;
    (*acc)[3] += As[ao + 3u * sm] * b;
  }
}

// ---- forward: y[r, j] = act(sum_i x[r, i] K[i, j] + b[j]); M = ROWS, N = FOUT, K = FIN.
@group(0) @binding(0) var<storage, read> fx: array<f32>;
@group(0) @binding(1) var<storage, read> fkernel: array<f32>;
@group(0) @binding(2) var<storage, read> fbias: array<f32>;
@group(0) @binding(3) var<storage, read_write> fy: array<f32>;

/** One invocation: a 4x4 block of y. Dispatch (ceil(FOUT / TN), ceil(ROWS / TM), 1). */
@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let tx = lid % (TN / 4u);
  let ty = lid / (TN / 4u);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < FIN; k0 += TK) {
    for (var i = lid; i < TM * TK; i += WG) {
      let r = m0 + i / TK;
      let c = k0 + i % TK;
      As[(i % TK) * TM + i / TK] = select(0.0, fx[r * FIN + c], r < ROWS && c < FIN);
    }
    for (var i = lid; i < TK * TN; i += WG) {
      let r = k0 + i / TN;
      let c = n0 + i % TN;
      Bs[i] = select(0.0, fkernel[r * FOUT + c], r < FIN && c < FOUT);
    }
    workgroupBarrier();
    mma(&acc, ty, tx);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + ty + i * (TM / 4u);
    for (var j = 0u; j < 4u; j++) {
      let c = n0 + tx + j * (TN / 4u);
      if (r < ROWS && c < FOUT) {
        fy[r * FOUT + c] = act(acc[i][j] + fbias[c]);
      }
    }
  }
}

// ---- dX[r, i] = sum_j dZ[r, j] K[i, j], dZ = dY * act'(y); M = ROWS, N = FIN, K = FOUT.
@group(0) @binding(0) var<storage, read> xdy: array<f32>;
@group(0) @binding(1) var<storage, read> xy: array<f32>;
@group(0) @binding(2) var<storage, read> xkernel: array<f32>;
@group(0) @binding(3) var<storage, read_write> xdx: array<f32>;

/** One invocation: a 4x4 block of dX = dZ K^T. Dispatch (ceil(FIN / TN), ceil(ROWS / TM), 1). */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let tx = lid % (TN / 4u);
  let ty = lid / (TN / 4u);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < FOUT; k0 += TK) {
    for (var i = lid; i < TM * TK; i += WG) {
      let r = m0 + i / TK;
      let c = k0 + i % TK;
      var v = 0.0;
      if (r < ROWS && c < FOUT) {
        let o = r * FOUT + c;
        v = xdy[o] * actGradFromY(xy[o]);
      }
      As[(i % TK) * TM + i / TK] = v;
    }
    // B(k = j, n = i) = K[i, j]: consecutive invocations walk j, which is contiguous in K.
    for (var i = lid; i < TK * TN; i += WG) {
      let kj = k0 + i % TK;
      let ni = n0 + i / TK;
      Bs[(i % TK) * TN + i / TK] = select(0.0, xkernel[ni * FOUT + kj], kj < FOUT && ni < FIN);
    }
    workgroupBarrier();
    mma(&acc, ty, tx);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + ty + i * (TM / 4u);
    for (var j = 0u; j < 4u; j++) {
      let c = n0 + tx + j * (TN / 4u);
      if (r < ROWS && c < FIN) {
        xdx[r * FIN + c] = acc[i][j];
      }
    }
  }
}

// ---- dK[i, j] = sum_r x[r, i] dZ[r, j] and db[j] = sum_r dZ[r, j], as one matmul whose A has an extra
// row of ones (row FIN): M = FIN + 1, N = FOUT, K = ROWS.
@group(0) @binding(0) var<storage, read> wx: array<f32>;
@group(0) @binding(1) var<storage, read> wdy: array<f32>;
@group(0) @binding(2) var<storage, read> wy: array<f32>;
@group(0) @binding(3) var<storage, read_write> wdkernel: array<f32>;
@group(0) @binding(4) var<storage, read_write> wdbias: array<f32>;

/** One invocation: a 4x4 block of [dK; db] = [x^T; 1^T] dZ. Dispatch (ceil(FOUT / TN), ceil((FIN + 1) / TM), 1). */
@compute @workgroup_size(WG)
fn backward_dw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  let tx = lid % (TN / 4u);
  let ty = lid / (TN / 4u);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < ROWS; k0 += TK) {
    // A(m = i, k = r) = x[r, i]: consecutive invocations walk i, contiguous in x.
    for (var i = lid; i < TM * TK; i += WG) {
      let mi = m0 + i % TM;
      let kr = k0 + i / TM;
      var v = 0.0;
      if (kr < ROWS) {
        if (mi < FIN) {
          v = wx[kr * FIN + mi];
        } else if (mi == FIN) {
          v = 1.0;
        }
      }
      As[i] = v;
    }
    for (var i = lid; i < TK * TN; i += WG) {
      let r = k0 + i / TN;
      let c = n0 + i % TN;
      var v = 0.0;
      if (r < ROWS && c < FOUT) {
        let o = r * FOUT + c;
        v = wdy[o] * actGradFromY(wy[o]);
      }
      Bs[i] = v;
    }
    workgroupBarrier();
    mma(&acc, ty, tx);
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = m0 + ty + i * (TM / 4u);
    for (var j = 0u; j < 4u; j++) {
      let c = n0 + tx + j * (TN / 4u);
      if (c < FOUT) {
        if (r < FIN) {
          wdkernel[r * FOUT + c] = acc[i][j];
        } else if (r == FIN) {
          wdbias[c] = acc[i][j];
        }
      }
    }
  }
}
