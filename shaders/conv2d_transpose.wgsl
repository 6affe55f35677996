// Conv2DTranspose's own passes; its GEMMs are conv2d's kernels (src/ops/conv2d_transpose.ts): the forward is a
// Conv2D's dX and the backward a Conv2D forward plus dK. What they leave out is here: the bias and the activation
// (fused for activations whose derivative follows from y) on the forward's output, and dBias, a per-channel sum
// of dZ over ROWS = BATCH * OH * OW rows in two atomic-free levels (PARTS partial sums of CHUNK rows, then one
// invocation per channel). No workgroup memory or barriers: one family for GPUs and CPU adapters.
// Sizes are `override` constants (no Params uniform); bindings and entry points come from the `//!` lines.
//! use act

override WG: u32 = 64u;
override ROWS: u32 = 1u;
override C: u32 = 1u;
override PARTS: u32 = 1u;
override CHUNK: u32 = 1u;

//! bindings z bias -> y

/** Grid-stride over y: y[r, c] = act(z[r, c] + bias[c]). Dispatch (min(ceil(ROWS * C / WG), 1024), 1, 1). */
//! grid_stride bias_act(ROWS * C)
fn bias_act_at(i: u32) { y[i] = act(z[i] + bias[i % C]); }

//! bindings pDz -> pPartial

/**
 * One invocation: partial[p, c] = sum of dZ[r, c] over rows r in [p * CHUNK, (p + 1) * CHUNK) of ROWS.
 * Dispatch (ceil(PARTS * C / WG), 1, 1).
 */
//! each bias_grad_partial(PARTS * C)
fn bias_grad_partial_at(i: u32) {
  let c = i % C;
  let p = i / C;
  var s = 0.0;
  for (var r = p * CHUNK; r < min((p + 1u) * CHUNK, ROWS); r++) { s += pDz[r * C + c]; }
  pPartial[i] = s;
}

//! bindings rPartial -> rDbias

/** One invocation per channel: dBias[c] = sum_p partial[p, c]. Dispatch (ceil(C / WG), 1, 1). */
//! each bias_grad_reduce(C)
fn bias_grad_reduce_at(c: u32) {
  var s = 0.0;
  for (var p = 0u; p < PARTS; p++) { s += rPartial[p * C + c]; }
  rDbias[c] = s;
}
