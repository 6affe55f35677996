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
// Augmentation (the model's head RandomFlip / RandomTranslation / RandomRotation / RandomZoom / RandomCrop, see
// src/model/augment-chain.ts): when prm.stageCount > 0 the output pixel (y, x) of [outH, outW] is mapped back
// through the stages (last to first) to a point of the fitted [fitH, fitW] frame, which is sampled with the
// interpolation and fill mode; the random draws hash (STEP_SEED, STEP_STEP, stage, row), bit-exact with
// src/reference/augment.ts, so no buffer is written per step. Stage kinds and fill modes are overrides set from
// AUG_KINDS / FILL_IDS of the TypeScript table, never bare numbers here.

//! use hash

override WG: u32 = 256;
// false compiles the augmentation out: the plain gather of a model without augmentation layers stays as
// cheap as before they existed (a CPU Vulkan driver like SwiftShader does not skip untaken branches' cost).
override AUGMENT: bool = true;
override AUG_FLIP: u32;
override AUG_TRANSLATE: u32;
override AUG_ROTATE: u32;
override AUG_ZOOM: u32;
override AUG_CROP: u32;
override FILL_REFLECT: u32;
override FILL_WRAP: u32;
override FILL_CONSTANT: u32;
override FILL_NEAREST: u32;
const MAX_STAGES = 8u;
const TWO_PI = 6.283185307179586;

/** One augmentation layer: kind, flags (flip: 1 horizontal, 2 vertical; crop: 1 training; zoom: 1 width drawn). */
struct Stage {
  kind: u32,
  flags: u32,
  seed: u32,
  pad: u32,
  // Input frame (inH, inW) and, for a crop, the output frame (outH, outW).
  size: vec4<f32>,
  // Ranges: (height lo, height hi, width lo, width hi); a rotation keeps its range in the first two.
  range: vec4<f32>,
}

struct Params {
  srcH: u32,
  srcW: u32,
  channels: u32,
  fitH: u32,
  fitW: u32,
  resize: u32,
  useIndices: u32,
  seqBase: u32,
  offY: i32,
  offX: i32,
  ratioY: f32,
  ratioX: f32,
  batch: u32,
  outH: u32,
  outW: u32,
  stageCount: u32,
  fillMode: u32,
  nearest: u32,
  pad0: u32,
  pad1: u32,
  stages: array<Stage, MAX_STAGES>,
}

@group(0) @binding(0) var<storage, read> images: array<u32>;
@group(0) @binding(1) var<storage, read> labels: array<i32>;
@group(0) @binding(2) var<storage, read> indices: array<u32>;
// scale[0..C), shift[0..C), then the constant fill value [0..C) in the model input's domain.
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

/** Raw 0..255 value of pixel (py, px, c) of the sample at `base` fitted to [fitH, fitW] (pad or resize). */
fn fitted(base: u32, py: u32, px: u32, c: u32) -> f32 {
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
    return top + (bottom - top) * ay.z;
  }
  let sy = i32(py) - prm.offY;
  let sx = i32(px) - prm.offX;
  if (sy >= 0 && sy < i32(prm.srcH) && sx >= 0 && sx < i32(prm.srcW)) {
    return pixel(base, u32(sy), u32(sx), c);
  }
  return 0.0;
}

/** Draw j of stage s for row r (see src/reference/augment.ts). */
fn draw(s: u32, r: u32, j: u32) -> u32 {
  let key = pcg(step[STEP_SEED] + pcg(prm.stages[s].seed + s * 0x9E3779B9u));
  return pcg(pcg(pcg(key + step[STEP_STEP]) + r) + j);
}

fn uniform01(s: u32, r: u32, j: u32) -> f32 {
  return f32(draw(s, r, j) >> 8u) * (1.0 / 16777216.0);
}

/** Maps a point (y, x) of stage s's output frame to its input frame. */
fn mapStage(s: u32, r: u32, p: vec2<f32>) -> vec2<f32> {
  let st = prm.stages[s];
  let inH = st.size.x;
  let inW = st.size.y;
  let cy = (inH - 1.0) * 0.5;
  let cx = (inW - 1.0) * 0.5;
  let lo = st.range.xz;
  let hi = st.range.yw;
  if (st.kind == AUG_FLIP) {
    let flipY = (st.flags & 2u) != 0u && uniform01(s, r, 1u) < 0.5;
    let flipX = (st.flags & 1u) != 0u && uniform01(s, r, 0u) < 0.5;
    return vec2<f32>(select(p.x, inH - 1.0 - p.x, flipY), select(p.y, inW - 1.0 - p.y, flipX));
  }
  if (st.kind == AUG_TRANSLATE) {
    let u = vec2<f32>(uniform01(s, r, 0u), uniform01(s, r, 1u));
    return p - (lo + (hi - lo) * u) * vec2<f32>(inH, inW);
  }
  if (st.kind == AUG_ROTATE) {
    let theta = (lo.x + (hi.x - lo.x) * uniform01(s, r, 0u)) * TWO_PI;
    let cs = cos(theta);
    let sn = sin(theta);
    let dy = p.x - cy;
    let dx = p.y - cx;
    return vec2<f32>(sn * dx + cs * dy + cy, cs * dx - sn * dy + cx);
  }
  if (st.kind == AUG_ZOOM) {
    let zy = 1.0 + lo.x + (hi.x - lo.x) * uniform01(s, r, 0u);
    let zx = select(zy, 1.0 + lo.y + (hi.y - lo.y) * uniform01(s, r, 1u), (st.flags & 1u) != 0u);
    return vec2<f32>(cy + zy * (p.x - cy), cx + zx * (p.y - cx));
  }
  // AUG_CROP: output frame (outH, outW) = st.size.zw.
  let oh = st.size.z;
  let ow = st.size.w;
  if ((st.flags & 1u) != 0u && inH > oh && inW > ow) {
    let oy = draw(s, 0u, 0u) % u32(inH - oh + 1.0);
    let ox = draw(s, 0u, 1u) % u32(inW - ow + 1.0);
    return p + vec2<f32>(f32(oy), f32(ox));
  }
  // Keras 3 at inference: the largest centred window of the crop's aspect ratio, resized to the crop.
  let ch = max(min(inH, floor(inW * oh / ow)), 1.0);
  let cw = max(min(inW, floor(inH * ow / oh)), 1.0);
  let top = floor((inH - ch) * 0.5);
  let left = floor((inW - cw) * 0.5);
  return vec2<f32>(top + (p.x + 0.5) * ch / oh - 0.5, left + (p.y + 0.5) * cw / ow - 0.5);
}

/** An integer index mapped into [0, n) by the fill mode, or -1 for constant outside. */
fn fillIndex(i: i32, n: i32) -> i32 {
  if (i >= 0 && i < n) { return i; }
  let mode = prm.fillMode;
  if (mode == FILL_CONSTANT) { return -1; }
  if (mode == FILL_NEAREST) { return clamp(i, 0, n - 1); }
  if (mode == FILL_WRAP) { return ((i % n) + n) % n; }
  // FILL_REFLECT: period 2n, the second half mirrored.
  let m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return select(2 * n - 1 - m, m, m < n);
}

/** Normalised value of fitted pixel (y, x) after the fill mode; the fill value outside in constant mode. */
fn fittedAt(base: u32, y: i32, x: i32, c: u32) -> f32 {
  let my = fillIndex(y, i32(prm.fitH));
  let mx = fillIndex(x, i32(prm.fitW));
  if (my < 0 || mx < 0) { return norm[2u * prm.channels + c]; }
  return fitted(base, u32(my), u32(mx), c) * norm[c] + norm[prm.channels + c];
}

/** Output pixel (py, px, c) of row r through the augmentation stages. */
fn augmented(base: u32, r: u32, py: u32, px: u32, c: u32) -> f32 {
  var p = vec2<f32>(f32(py), f32(px));
  for (var s = i32(prm.stageCount) - 1; s >= 0; s--) {
    p = mapStage(u32(s), r, p);
  }
  if (prm.nearest != 0u) {
    let q = floor(p + 0.5);
    return fittedAt(base, i32(q.x), i32(q.y), c);
  }
  let f = floor(p);
  let w = p - f;
  let y0 = i32(f.x);
  let x0 = i32(f.y);
  let a = fittedAt(base, y0, x0, c);
  let b = fittedAt(base, y0, x0 + 1, c);
  let d = fittedAt(base, y0 + 1, x0, c);
  let e = fittedAt(base, y0 + 1, x0 + 1, c);
  let top = a + (b - a) * w.y;
  let bottom = d + (e - d) * w.y;
  return top + (bottom - top) * w.x;
}

/**
 * One invocation per output element (row, y, x, c) of x [batch, outH, outW, C]; the (y, x, c) = 0
 * invocation of a row also writes its label. Dispatch (min(ceil(n / WG), 65535), ceil(ceil(n / WG) / 65535), 1)
 * with n = batch * outH * outW * C.
 */
@compute @workgroup_size(WG)
fn gather(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let C = prm.channels;
  let rowSize = prm.outH * prm.outW * C;
  if (i >= prm.batch * rowSize) { return; }
  let r = i / rowSize;
  let inRow = i - r * rowSize;
  let c = inRow % C;
  let px = (inRow / C) % prm.outW;
  let py = inRow / (C * prm.outW);
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
  if (!AUGMENT || prm.stageCount == 0u) {
    x[i] = fitted(base, py, px, c) * norm[c] + norm[C + c];
  } else {
    x[i] = augmented(base, r, py, px, c);
  }
}
