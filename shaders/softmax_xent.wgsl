// Softmax + categorical cross-entropy, fused and numerically stable (log-sum-exp), over logits [BATCH, CLASSES].
//   lse = m + log sum_j exp(z_j - m), m = max_j z_j;  p_k = exp(z_k - lse)
//   loss_r = sum_k y_k (lse - z_k)  (sparse: lse - z_label)
//   dZ_k = (p_k * sum_j y_j - y_k) / nValid  (= (p - onehot) / nValid for sparse labels)
// Rows whose sparse label is outside [0, CLASSES) (the trainer pads partial batches with -1) or whose one-hot
// row sums to 0 are ignored: no loss, zero gradient, not counted; the mean divides by the valid rows.
// metrics (array<f32, 4>, accumulated; shaders/lib/batch_metrics.wgsl): [0] += loss sum, [1] += correct,
// [2] += valid rows, [3] = 1 once any logit or loss is NaN/Inf. One workgroup reduces the whole batch in
// workgroup memory, so no float atomics are needed. Sizes are `override` constants (no Params uniform).

//! use math batch_metrics

override WG: u32 = 64u; // power of two
override BATCH: u32 = 1u;
override CLASSES: u32 = 1u;
override SPARSE: bool = true;
/** 0 train (probs, dLogits, metrics), 1 evaluate (probs, metrics), 2 predict (probs only). */
override MODE: u32 = 0u;

// labels: f32 one-hot rows, or i32 class ids read through bitcast (one binding type for both label kinds).
//! bindings logits labels -> probs dLogits metrics

fn sparseLabel(r: u32) -> i32 {
  return bitcast<i32>(labels[r]);
}

fn rowValid(r: u32) -> bool {
  if (SPARSE) {
    let l = sparseLabel(r);
    return l >= 0 && l < i32(CLASSES);
  }
  var s = 0.0;
  for (var k = 0u; k < CLASSES; k++) { s += labels[r * CLASSES + k]; }
  return s > 0.0;
}

/**
 * One workgroup; invocation lid handles rows lid, lid + WG, ...: writes their probs (and dLogits in
 * training) and adds their loss / correct / count / non-finite to the workgroup sum, which invocation 0 adds
 * into metrics. Dispatch (1, 1, 1).
 */
@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var nValid = 0.0;
  if (MODE == 0u) { nValid = validRows(lid); }
  var acc = vec4<f32>(0.0);
  for (var r = lid; r < BATCH; r += WG) {
    let o = r * CLASSES;
    var m = logits[o];
    var best = 0u;
    var bad = false;
    for (var k = 0u; k < CLASSES; k++) {
      let z = logits[o + k];
      bad = bad || nonFinite(z);
      if (z > m) { m = z; best = k; }
    }
    var s = 0.0;
    for (var k = 0u; k < CLASSES; k++) { s += exp(logits[o + k] - m); }
    let lse = m + log(s);
    for (var k = 0u; k < CLASSES; k++) { probs[o + k] = exp(logits[o + k] - lse); }
    if (MODE == 2u) { continue; }
    let valid = rowValid(r);
    var loss = 0.0;
    var correct = false;
    if (SPARSE) {
      let l = sparseLabel(r);
      if (valid) {
        loss = lse - logits[o + u32(l)];
        correct = best == u32(l);
      }
      if (MODE == 0u) {
        for (var k = 0u; k < CLASSES; k++) {
          let y = select(0.0, 1.0, valid && i32(k) == l);
          dLogits[o + k] = select(0.0, (probs[o + k] - y) / nValid, valid);
        }
      }
    } else {
      var ySum = 0.0;
      var yBest = 0u;
      for (var k = 0u; k < CLASSES; k++) {
        let y = labels[o + k];
        ySum += y;
        if (y > labels[o + yBest]) { yBest = k; }
        // Zero labels are skipped so a -inf logit with label 0 does not give 0 * inf = NaN.
        if (y != 0.0) { loss += y * (lse - logits[o + k]); }
      }
      correct = valid && best == yBest;
      if (MODE == 0u) {
        for (var k = 0u; k < CLASSES; k++) {
          dLogits[o + k] = (probs[o + k] * ySum - labels[o + k]) / nValid;
        }
      }
    }
    // correct is false on invalid rows (sparse: set only when valid; one-hot: valid && ...).
    acc += rowMetrics(valid, loss, select(0.0, 1.0, correct), bad);
  }
  if (MODE != 2u) { addMetrics(lid, acc); }
}
