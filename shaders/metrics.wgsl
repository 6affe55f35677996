// Evaluation metrics kept on the GPU: the confusion matrix, accumulated over the batches of an evaluation and
// read back once at its end.

override WG: u32 = 64;
override BATCH: u32 = 1u;
override CLASSES: u32 = 1u;

@group(0) @binding(0) var<storage, read> probs: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<i32>;
@group(0) @binding(2) var<storage, read_write> confusion: array<atomic<u32>>;

/**
 * One invocation per batch row: predicted class = first argmax of its probabilities (as tf.argmax), then
 * confusion[label * CLASSES + predicted] += 1. Rows with label -1 (padding) or out of range are skipped.
 * Dispatch (ceil(BATCH / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn confusion_matrix(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= BATCH) { return; }
  let label = labels[r];
  if (label < 0 || label >= i32(CLASSES)) { return; }
  var best = 0u;
  var bestP = probs[r * CLASSES];
  for (var k = 1u; k < CLASSES; k++) {
    let p = probs[r * CLASSES + k];
    if (p > bestP) {
      best = k;
      bestP = p;
    }
  }
  atomicAdd(&confusion[u32(label) * CLASSES + best], 1u);
}

// ---- The largest per-step mean loss since the last read-back, so a single exploding step is seen even when
// a read-back averages hundreds of steps. Own binding numbers: this entry point shares no resource with the
// confusion matrix.
@group(0) @binding(3) var<storage, read> lossMetrics: array<f32>;
// [0] loss sum and [1] count as of the previous step, [2] largest per-step mean loss; cleared with the metrics.
@group(0) @binding(4) var<storage, read_write> track: array<f32>;

/**
 * One invocation, after the loss of a training step: this step's mean loss is the growth of the running sums
 * (metrics [0] and [2]) since the previous step. Dispatch (1, 1, 1).
 */
@compute @workgroup_size(1)
fn track_loss() {
  let sum = lossMetrics[0];
  let count = lossMetrics[2];
  let n = count - track[1];
  if (n > 0.0) {
    track[2] = max(track[2], (sum - track[0]) / n);
  }
  track[0] = sum;
  track[1] = count;
}
