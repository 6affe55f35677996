// Losses taken per output unit against targets made from the sparse labels, with metrics summed on the GPU:
// binary cross-entropy with the sigmoid fused (from the last layer's logits z) and mean squared error (from the
// last layer's outputs). One unit: the target is the label itself (0 or 1); U units: the one-hot row of the
// label (to_categorical, one-vs-rest). Per row, as Keras averages over the last axis:
//   BCE  loss = mean_k [max(z_k, 0) - z_k t_k + log(1 + exp(-|z_k|))]   dZ_k = (sigmoid(z_k) - t_k) / (U nValid)
//   MSE  loss = mean_k (y_k - t_k)^2                                   dY_k = 2 (y_k - t_k) / (U nValid)
// Accuracy (Keras's metrics=['accuracy'] for the pair): one unit, binary accuracy (p > 0.5) == label; BCE over
// U units, binary accuracy averaged over the units; MSE over U units, argmax == label.
// Class scores `probs` (for predict, the confusion matrix and the UI): one unit [1 - p, p], else p per unit.
// Rows whose label is outside [0, COLS) (padding: -1) add nothing and are not counted; the mean divides by
// the valid rows. metrics (array<f32, 4>, accumulated; shaders/lib/batch_metrics.wgsl): [0] += loss sum,
// [1] += correct, [2] += valid rows, [3] = 1 once any output or loss is NaN/Inf. One workgroup reduces the
// batch, so no float atomics.
//! use math batch_metrics

override WG: u32 = 64u; // power of two
override BATCH: u32 = 1u;
override UNITS: u32 = 1u;
/** 0 binary cross-entropy (sigmoid fused), 1 mean squared error. */
override LOSS: u32 = 0u;
/** 0 train (probs, gradient, metrics), 1 evaluate (probs, metrics), 2 predict (probs only). */
override MODE: u32 = 0u;

//! bindings outputs labels:array<i32> -> probs dOutputs metrics

fn cols() -> u32 {
  return select(UNITS, 2u, UNITS == 1u);
}

fn rowValid(r: u32) -> bool {
  let l = labels[r];
  return l >= 0 && l < i32(cols());
}

fn targetOf(l: i32, k: u32) -> f32 {
  if (UNITS == 1u) { return f32(l); }
  return select(0.0, 1.0, i32(k) == l);
}

/**
 * One workgroup; invocation lid handles rows lid, lid + WG, ...: their probs, gradient (training) and
 * loss / correct / count / non-finite, summed into metrics by invocation 0. Dispatch (1, 1, 1).
 */
@compute @workgroup_size(WG)
fn pointwise(@builtin(local_invocation_index) lid: u32) {
  var nValid = 1.0;
  if (MODE == 0u) { nValid = validRows(lid); }
  let gradScale = 1.0 / (f32(UNITS) * nValid);
  var acc = vec4<f32>(0.0);
  for (var r = lid; r < BATCH; r += WG) {
    let o = r * UNITS;
    let valid = rowValid(r);
    let l = labels[r];
    var loss = 0.0;
    var hits = 0.0;
    var bad = false;
    var best = 0u;
    for (var k = 0u; k < UNITS; k++) {
      let z = outputs[o + k];
      bad = bad || nonFinite(z);
      if (z > outputs[o + best]) { best = k; }
      let t = targetOf(l, k);
      var p = z;
      var g = 0.0;
      if (LOSS == 0u) {
        p = sigmoid(z);
        loss += max(z, 0.0) - z * t + log(1.0 + exp(-abs(z)));
        g = p - t;
      } else {
        loss += (z - t) * (z - t);
        g = 2.0 * (z - t);
      }
      hits += select(0.0, 1.0, select(0.0, 1.0, p > 0.5) == t);
      if (UNITS == 1u) {
        probs[r * 2u] = 1.0 - p;
        probs[r * 2u + 1u] = p;
      } else {
        probs[o + k] = p;
      }
      if (MODE == 0u) { dOutputs[o + k] = select(0.0, g * gradScale, valid); }
    }
    if (MODE == 2u) { continue; }
    loss /= f32(UNITS);
    var correct = hits / f32(UNITS);
    if (LOSS == 1u && UNITS > 1u) { correct = select(0.0, 1.0, i32(best) == l); }
    acc += rowMetrics(valid, loss, correct, bad);
  }
  if (MODE != 2u) { addMetrics(lid, acc); }
}

override CLASSES: u32 = 1u;

//! bindings sparse:array<i32> -> oneHot

/**
 * to_categorical on the GPU: oneHot[r, k] = 1 where k is row r's label, else 0; a padding row (label -1) is
 * all zeros, which the categorical loss ignores. One invocation per element, grid-stride over BATCH * CLASSES.
 */
//! grid_stride one_hot(BATCH * CLASSES)
fn one_hot_at(i: u32) {
  let r = i / CLASSES;
  oneHot[i] = select(0.0, 1.0, sparse[r] == i32(i - r * CLASSES));
}
