// BatchNormalization over the last axis (Keras axis=-1): x is ROWS rows of C channels (NHWC [BATCH, H, W, C]
// has ROWS = BATCH * H * W, PER_SAMPLE = H * W; a 2-D [BATCH, C] input has PER_SAMPLE = 1). Only the first
// STEP_VALID_ROWS samples count: the rows of a partial batch's padding enter no statistic and get dX = 0.
// Per-channel reductions are two-level and atomic-free, correct for any size: PARTS partial results per
// channel, each over CHUNK consecutive rows, then one invocation per channel merges the PARTS partials.
// Statistics merge as (count, mean, M2) pairs (Chan et al.), so no sum-of-squares cancellation.
// No workgroup memory or barriers: one family serves GPUs and CPU adapters alike (see src/ops/batchnorm.ts).
// Sizes are `override` constants (no Params uniform).

override WG: u32 = 64u;
override BATCH: u32 = 1u;
override PER_SAMPLE: u32 = 1u;
override C: u32 = 1u;
override PARTS: u32 = 1u;
override CHUNK: u32 = 1u;
override EPS: f32 = 0.001;
override MOMENTUM: f32 = 0.99;
override HAS_GAMMA: bool = true;
override HAS_BETA: bool = true;
/** Row groups of the elementwise passes: each invocation owns one channel of every ROW_GROUPS-th row. */
override ROW_GROUPS: u32 = 1u;

/** Rows that hold samples in this step: the first clamp(validRows, 1, BATCH) samples. */
fn validRowCount(s: StepState) -> u32 {
  return clamp(s[STEP_VALID_ROWS], 1u, BATCH) * PER_SAMPLE;
}

/** Rows [first, end) of part p among the valid ones (empty when p starts past them). */
fn partRows(p: u32, valid: u32) -> vec2<u32> {
  let first = min(p * CHUNK, valid);
  return vec2<u32>(first, min(first + CHUNK, valid));
}

@group(0) @binding(0) var<storage, read> spX: array<f32>;
@group(0) @binding(1) var<storage, read> spStep: StepState;
@group(0) @binding(2) var<storage, read_write> spPartial: array<f32>;

/**
 * One invocation: part p of channel c, over its valid rows: partial[2 (p C + c)] = their mean,
 * partial[2 (p C + c) + 1] = their sum of squared deviations M2 (0, 0 for an empty part).
 * Dispatch (ceil(PARTS * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn stats_partial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= PARTS * C) { return; }
  let c = i % C;
  let rows = partRows(i / C, validRowCount(spStep));
  var s = 0.0;
  for (var r = rows.x; r < rows.y; r++) { s += spX[r * C + c]; }
  let n = f32(rows.y - rows.x);
  let mean = select(0.0, s / n, n > 0.0);
  var m2 = 0.0;
  for (var r = rows.x; r < rows.y; r++) {
    let d = spX[r * C + c] - mean;
    m2 += d * d;
  }
  spPartial[2u * i] = mean;
  spPartial[2u * i + 1u] = m2;
}

@group(0) @binding(0) var<storage, read> sfPartial: array<f32>;
@group(0) @binding(1) var<storage, read> sfStep: StepState;
@group(0) @binding(2) var<storage, read_write> sfMovingMean: array<f32>;
@group(0) @binding(3) var<storage, read_write> sfMovingVariance: array<f32>;
@group(0) @binding(4) var<storage, read_write> sfStats: array<f32>;

/**
 * One invocation per channel c: merges the parts, mean = sum n_p mean_p / N and
 * M2 = sum M2_p + n_p (mean_p - mean)^2, variance = M2 / N (biased, as Keras 3's ops.moments); writes
 * stats[c] = mean, stats[C + c] = 1 / sqrt(variance + EPS), and updates the moving statistics in place:
 * moving = moving * MOMENTUM + batch * (1 - MOMENTUM). Dispatch (ceil(C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn stats_finalize(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= C) { return; }
  let valid = validRowCount(sfStep);
  var weighted = 0.0;
  for (var p = 0u; p < PARTS; p++) {
    let rows = partRows(p, valid);
    weighted += f32(rows.y - rows.x) * sfPartial[2u * (p * C + c)];
  }
  let mean = weighted / f32(valid);
  var m2 = 0.0;
  for (var p = 0u; p < PARTS; p++) {
    let rows = partRows(p, valid);
    let d = sfPartial[2u * (p * C + c)] - mean;
    m2 += sfPartial[2u * (p * C + c) + 1u] + f32(rows.y - rows.x) * d * d;
  }
  let variance = m2 / f32(valid);
  sfStats[c] = mean;
  sfStats[C + c] = inverseSqrt(variance + EPS);
  sfMovingMean[c] = sfMovingMean[c] * MOMENTUM + mean * (1.0 - MOMENTUM);
  sfMovingVariance[c] = sfMovingVariance[c] * MOMENTUM + variance * (1.0 - MOMENTUM);
}

@group(0) @binding(0) var<storage, read> nX: array<f32>;
@group(0) @binding(1) var<storage, read> nStats: array<f32>;
@group(0) @binding(2) var<storage, read> nGamma: array<f32>;
@group(0) @binding(3) var<storage, read> nBeta: array<f32>;
@group(0) @binding(4) var<storage, read_write> nY: array<f32>;

fn affine(v: f32, gamma: f32, beta: f32) -> f32 {
  return v * select(1.0, gamma, HAS_GAMMA) + select(0.0, beta, HAS_BETA);
}

/**
 * One invocation per (row group g, channel c), over rows g, g + ROW_GROUPS, ... (padding rows too; they are
 * ignored downstream): y = x * a + b with a = gamma / sqrt(var + EPS), b = beta - mean * a from the batch
 * statistics of stats_finalize, computed once per invocation. Dispatch (ceil(ROW_GROUPS * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn normalize(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= ROW_GROUPS * C) { return; }
  let c = gid.x % C;
  let a = affine(nStats[C + c], nGamma[c], 0.0);
  let b = affine(-nStats[c] * nStats[C + c], nGamma[c], nBeta[c]);
  for (var r = gid.x / C; r < BATCH * PER_SAMPLE; r += ROW_GROUPS) { nY[r * C + c] = nX[r * C + c] * a + b; }
}

@group(0) @binding(0) var<storage, read> iX: array<f32>;
@group(0) @binding(1) var<storage, read> iMovingMean: array<f32>;
@group(0) @binding(2) var<storage, read> iMovingVariance: array<f32>;
@group(0) @binding(3) var<storage, read> iGamma: array<f32>;
@group(0) @binding(4) var<storage, read> iBeta: array<f32>;
@group(0) @binding(5) var<storage, read_write> iY: array<f32>;

/**
 * Inference, one invocation per (row group g, channel c) as normalize:
 * y = gamma (x - moving_mean) / sqrt(moving_variance + EPS) + beta. Dispatch (ceil(ROW_GROUPS * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn forward_infer(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= ROW_GROUPS * C) { return; }
  let c = gid.x % C;
  let invStd = inverseSqrt(iMovingVariance[c] + EPS);
  let a = affine(invStd, iGamma[c], 0.0);
  let b = affine(-iMovingMean[c] * invStd, iGamma[c], iBeta[c]);
  for (var r = gid.x / C; r < BATCH * PER_SAMPLE; r += ROW_GROUPS) { iY[r * C + c] = iX[r * C + c] * a + b; }
}

@group(0) @binding(0) var<storage, read> gpX: array<f32>;
@group(0) @binding(1) var<storage, read> gpDy: array<f32>;
@group(0) @binding(2) var<storage, read> gpStats: array<f32>;
@group(0) @binding(3) var<storage, read> gpStep: StepState;
@group(0) @binding(4) var<storage, read_write> gpPartial: array<f32>;

/**
 * One invocation: part p of channel c over its valid rows: partial[2 (p C + c)] = sum dY,
 * partial[2 (p C + c) + 1] = sum dY * xhat with xhat = (x - mean) / sqrt(var + EPS).
 * Dispatch (ceil(PARTS * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn grad_partial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= PARTS * C) { return; }
  let c = i % C;
  let rows = partRows(i / C, validRowCount(gpStep));
  let mean = gpStats[c];
  let invStd = gpStats[C + c];
  var sumDy = 0.0;
  var sumDyXhat = 0.0;
  for (var r = rows.x; r < rows.y; r++) {
    let dy = gpDy[r * C + c];
    sumDy += dy;
    sumDyXhat += dy * (gpX[r * C + c] - mean) * invStd;
  }
  gpPartial[2u * i] = sumDy;
  gpPartial[2u * i + 1u] = sumDyXhat;
}

@group(0) @binding(0) var<storage, read> gfPartial: array<f32>;
@group(0) @binding(1) var<storage, read_write> gfSums: array<f32>;
@group(0) @binding(2) var<storage, read_write> gfDGamma: array<f32>;
@group(0) @binding(3) var<storage, read_write> gfDBeta: array<f32>;

/**
 * One invocation per channel c: dBeta = sum dY and dGamma = sum dY * xhat over the parts; also kept in
 * sums[c], sums[C + c] for backward_dx (dGamma / dBeta may be placeholders when scale / center are off).
 * Dispatch (ceil(C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn grad_finalize(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= C) { return; }
  var sumDy = 0.0;
  var sumDyXhat = 0.0;
  for (var p = 0u; p < PARTS; p++) {
    sumDy += gfPartial[2u * (p * C + c)];
    sumDyXhat += gfPartial[2u * (p * C + c) + 1u];
  }
  gfSums[c] = sumDy;
  gfSums[C + c] = sumDyXhat;
  gfDBeta[c] = sumDy;
  gfDGamma[c] = sumDyXhat;
}

@group(0) @binding(0) var<storage, read> bX: array<f32>;
@group(0) @binding(1) var<storage, read> bDy: array<f32>;
@group(0) @binding(2) var<storage, read> bStats: array<f32>;
@group(0) @binding(3) var<storage, read> bSums: array<f32>;
@group(0) @binding(4) var<storage, read> bGamma: array<f32>;
@group(0) @binding(5) var<storage, read> bStep: StepState;
@group(0) @binding(6) var<storage, read_write> bDx: array<f32>;

/**
 * One invocation per (row group g, channel c), over rows g, g + ROW_GROUPS, ...: for the N valid rows
 * dX = gamma / sqrt(var + EPS) * (dY - sum dY / N - xhat * sum(dY xhat) / N), which is k dY + m x + q with
 * per-channel k, m, q computed once; 0 for padding rows. Dispatch (ceil(ROW_GROUPS * C / WG), 1, 1).
 */
@compute @workgroup_size(WG)
fn backward_dx(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= ROW_GROUPS * C) { return; }
  let c = gid.x % C;
  let valid = validRowCount(bStep);
  let n = f32(valid);
  let invStd = bStats[C + c];
  let k = select(1.0, bGamma[c], HAS_GAMMA) * invStd;
  let m = -k * invStd * bSums[C + c] / n;
  let q = -k * bSums[c] / n - m * bStats[c];
  for (var r = gid.x / C; r < BATCH * PER_SAMPLE; r += ROW_GROUPS) {
    let i = r * C + c;
    bDx[i] = select(0.0, k * bDy[i] + m * bX[i] + q, r < valid);
  }
}
