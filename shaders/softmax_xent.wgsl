// Softmax + categorical cross-entropy, fused and numerically stable (log-sum-exp), over logits [BATCH, CLASSES].
//   lse = m + log sum_j exp(z_j - m), m = max_j z_j;  p_k = exp(z_k - lse)
//   loss_r = sum_k y_k (lse - z_k)  (sparse: lse - z_label)
//   dZ_k = (p_k * sum_j y_j - y_k) / nValid  (= (p - onehot) / nValid for sparse labels)
// Rows whose sparse label is outside [0, CLASSES) (the trainer pads partial batches with -1) or whose one-hot
// row sums to 0 are ignored: no loss, zero gradient, not counted; the mean divides by the valid rows.
// metrics (array<f32, 4>, accumulated): [0] += loss sum, [1] += correct, [2] += valid rows,
// [3] = 1 once any logit or loss is NaN/Inf. One workgroup reduces the whole batch in workgroup memory,
// so no float atomics are needed. Sizes are `override` constants (no Params uniform).

//! use math
//! use wg_sum

override WG: u32 = 64u; // power of two
override BATCH: u32 = 1u;
override CLASSES: u32 = 1u;
override SPARSE: bool = true;
/** 0 train (probs, dLogits, metrics), 1 evaluate (probs, metrics), 2 predict (probs only). */
override MODE: u32 = 0u;

@group(0) @binding(0) var<storage, read> logits: array<f32>;
// f32 one-hot rows, or i32 class ids read through bitcast (one binding type for both label kinds).
@group(0) @binding(1) var<storage, read> labels: array<f32>;
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;
@group(0) @binding(3) var<storage, read_write> dLogits: array<f32>;
@group(0) @binding(4) var<storage, read_write> metrics: array<f32>;

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
  if (MODE == 0u) {
    var c = 0.0;
    for (var r = lid; r < BATCH; r += WG) { c += select(0.0, 1.0, rowValid(r)); }
    red[lid] = vec4<f32>(c, 0.0, 0.0, 0.0);
    wgSum(lid);
    nValid = max(red[0].x, 1.0);
    workgroupBarrier();
  }
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
    bad = bad || (valid && nonFinite(loss));
    acc += vec4<f32>(
      select(0.0, loss, valid),
      select(0.0, 1.0, correct),
      select(0.0, 1.0, valid),
      select(0.0, 1.0, bad),
    );
  }
  if (MODE == 2u) { return; }
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
