// Batch assembly on the GPU: gathers the images of one batch from the uint8 dataset (uploaded once, four pixels
// per u32), fits them to the model's input size and normalises them to f32, and gathers their labels.
//   'pad' (RESIZE = 0): centred like tf.image.resize_with_crop_or_pad; the source sits at (offY, offX) in the
//     destination (negative offsets crop); cells outside it are raw 0 before normalisation.
//   'resize' (RESIZE = 1): bilinear with half-pixel centres: src = (dst + 0.5) * ratio - 0.5, neighbours
//     clamped to the edge, interpolated on raw 0..255 values.
//   value = raw * scale[c] + shift[c] (scale255: 1/255, 0; meanstd: 1/(255 std), -mean/std).
// The sample of row r is indices[batchStart + r] (a shuffled epoch order) or seqBase + batchStart + r
// (evaluation in order). Rows r >= validRows (padding of a partial last batch) get zeros and label -1, which
// the loss ignores. batchStart and validRows come from the STEP buffer (STEP_* constants: src/gpu/shaders.ts).

override WG: u32 = 256;

struct Params {
  srcH: u32,
  srcW: u32,
  channels: u32,
  dstH: u32,
  dstW: u32,
  resize: u32,
  useIndices: u32,
  seqBase: u32,
  offY: i32,
  offX: i32,
  ratioY: f32,
  ratioX: f32,
  batch: u32,
}

@group(0) @binding(0) var<storage, read> images: array<u32>;
@group(0) @binding(1) var<storage, read> labels: array<i32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
// scale[0..C), then shift[0..C).
@group(0) @binding(3) var<storage, read> norm: array<f32>;
@group(0) @binding(4) var<storage, read> step: StepState;
@group(0) @binding(5) var<storage, read_write> x: array<f32>;
@group(0) @binding(6) var<storage, read_write> outLabels: array<i32>;
@group(0) @binding(7) var<uniform> prm: Params;

fn pixel(base: u32, y: u32, x: u32, c: u32) -> f32 {
  let i = base + (y * prm.srcW + x) * prm.channels + c;
  return f32((images[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu);
}

/** Lower and upper source index and the upper weight of a bilinear sample along one axis. */
fn axis(d: u32, ratio: f32, size: u32) -> vec3<f32> {
  let pos = (f32(d) + 0.5) * ratio - 0.5;
  let f = floor(pos);
  let top = f32(size - 1u);
  return vec3<f32>(clamp(f, 0.0, top), clamp(f + 1.0, 0.0, top), pos - f);
}

/**
 * One invocation per output element (row, y, x, c) of x [batch, dstH, dstW, C]; the (y, x, c) = 0
 * invocation of a row also writes its label. Dispatch (min(ceil(n / WG), 65535), ceil(ceil(n / WG) / 65535), 1)
 * with n = batch * dstH * dstW * C.
 */
@compute @workgroup_size(WG)
fn gather(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let C = prm.channels;
  let rowSize = prm.dstH * prm.dstW * C;
  if (i >= prm.batch * rowSize) { return; }
  let r = i / rowSize;
  let inRow = i - r * rowSize;
  let c = inRow % C;
  let px = (inRow / C) % prm.dstW;
  let py = inRow / (C * prm.dstW);
  let start = step[STEP_BATCH_START];
  let valid = r < step[STEP_VALID_ROWS];
  var sample = 0u;
  if (valid) {
    sample = select(prm.seqBase + start + r, indices[start + r], prm.useIndices != 0u);
  }
  if (inRow == 0u) {
    outLabels[r] = select(-1, labels[sample], valid);
  }
  if (!valid) {
    x[i] = 0.0;
    return;
  }
  let base = sample * prm.srcH * prm.srcW * C;
  var raw = 0.0;
  if (prm.resize != 0u) {
    let ay = axis(py, prm.ratioY, prm.srcH);
    let ax = axis(px, prm.ratioX, prm.srcW);
    let y0 = u32(ay.x);
    let y1 = u32(ay.y);
    let x0 = u32(ax.x);
    let x1 = u32(ax.y);
    let a = pixel(base, y0, x0, c);
    let b = pixel(base, y0, x1, c);
    let d = pixel(base, y1, x0, c);
    let e = pixel(base, y1, x1, c);
    let top = a + (b - a) * ax.z;
    let bottom = d + (e - d) * ax.z;
    raw = top + (bottom - top) * ay.z;
  } else {
    let sy = i32(py) - prm.offY;
    let sx = i32(px) - prm.offX;
    if (sy >= 0 && sy < i32(prm.srcH) && sx >= 0 && sx < i32(prm.srcW)) {
      raw = pixel(base, u32(sy), u32(sx), c);
    }
  }
  x[i] = raw * norm[c] + norm[C + c];
}
