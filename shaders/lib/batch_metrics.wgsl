// The loss kernels' batch metrics (losses.wgsl, softmax_xent.wgsl): one workgroup walks the rows lid, lid + WG,
// ... of the batch and sums per-row (loss, correct, valid, non-finite) into the accumulated
// `metrics: array<f32>`: [0] += loss sum, [1] += correct, [2] += valid rows, [3] = 1 once any value is NaN/Inf.
// The shader declares `override BATCH: u32`, the `metrics` binding and `fn rowValid(r: u32) -> bool`.
// Uses wg_sum (red, wgSum) and math (nonFinite).
//! use wg_sum math

/** The number of valid rows of the batch, at least 1, in every invocation. Every invocation must call it. */
fn validRows(lid: u32) -> f32 {
  var c = 0.0;
  for (var r = lid; r < BATCH; r += WG) { c += select(0.0, 1.0, rowValid(r)); }
  red[lid] = vec4<f32>(c, 0.0, 0.0, 0.0);
  wgSum(lid);
  let n = max(red[0].x, 1.0);
  workgroupBarrier();
  return n;
}

/** One row's share of the sums: its loss and correct (0 to 1) if valid, 1 if valid, 1 if anything is non-finite. */
fn rowMetrics(valid: bool, loss: f32, correct: f32, bad: bool) -> vec4<f32> {
  return vec4<f32>(
    select(0.0, loss, valid),
    select(0.0, correct, valid),
    select(0.0, 1.0, valid),
    select(0.0, 1.0, bad || (valid && nonFinite(loss))),
  );
}

/** Sums every invocation's `acc` over the workgroup and adds the totals into metrics. Every invocation calls it. */
fn addMetrics(lid: u32, acc: vec4<f32>) {
  red[lid] = acc;
  wgSum(lid);
  if (lid == 0u) {
    let t = red[0];
    metrics[0] += t.x;
    metrics[1] += t.y;
    metrics[2] += t.z;
    if (t.w > 0.0) { metrics[3] = 1.0; }
  }
}
