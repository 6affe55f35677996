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
