// BatchNormalization over the last axis (Keras axis=-1): x is ROWS rows of C channels (NHWC [BATCH, H, W, C]
// has ROWS = BATCH * H * W, PER_SAMPLE = H * W; a 2-D [BATCH, C] input has PER_SAMPLE = 1). Only the first
// STEP_VALID_ROWS samples count: the rows of a partial batch's padding enter no statistic and get dX = 0.
// Per-channel reductions are two-level and atomic-free, correct for any size: PARTS partial results per
// channel, each over CHUNK consecutive rows, then one invocation per channel merges the PARTS partials.
// Statistics merge as (count, mean, M2) pairs (Chan et al.), so no sum-of-squares cancellation.
// No workgroup memory or barriers: one family serves GPUs and CPU adapters alike (see src/ops/batchnorm.ts).
// Sizes are `override` constants (no Params uniform); bindings and entry points come from the `//!` lines.

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

//! bindings spX spStep:StepState -> spPartial

/**
 * One invocation: part p of channel c, over its valid rows: partial[2 (p C + c)] = their mean,
 * partial[2 (p C + c) + 1] = their sum of squared deviations M2 (0, 0 for an empty part).
 * Dispatch (ceil(PARTS * C / WG), 1, 1).
 */
//! each stats_partial(PARTS * C)
fn stats_partial_at(i: u32) {
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

//! bindings sfPartial sfStep:StepState -> sfMovingMean sfMovingVariance sfStats

/**
 * One invocation per channel c: merges the parts, mean = sum n_p mean_p / N and
 * M2 = sum M2_p + n_p (mean_p - mean)^2, variance = M2 / N (biased, as Keras 3's ops.moments); writes
 * stats[c] = mean, stats[C + c] = 1 / sqrt(variance + EPS), and updates the moving statistics in place:
 * moving = moving * MOMENTUM + batch * (1 - MOMENTUM). Dispatch (ceil(C / WG), 1, 1).
 */
//! each stats_finalize(C)
fn stats_finalize_at(c: u32) {
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

//! bindings nX nStats nGamma nBeta -> nY

fn affine(v: f32, gamma: f32, beta: f32) -> f32 {
  return v * select(1.0, gamma, HAS_GAMMA) + select(0.0, beta, HAS_BETA);
}

/**
 * One invocation per (row group g, channel c), over rows g, g + ROW_GROUPS, ... (padding rows too; they are
 * ignored downstream): y = x * a + b with a = gamma / sqrt(var + EPS), b = beta - mean * a from the batch
 * statistics of stats_finalize, computed once per invocation. Dispatch (ceil(ROW_GROUPS * C / WG), 1, 1).
 */
//! each normalize(ROW_GROUPS * C)
fn normalize_at(g: u32) {
  let c = g % C;
  let a = affine(nStats[C + c], nGamma[c], 0.0);
  let b = affine(-nStats[c] * nStats[C + c], nGamma[c], nBeta[c]);
  for (var r = g / C; r < BATCH * PER_SAMPLE; r += ROW_GROUPS) { nY[r * C + c] = nX[r * C + c] * a + b; }
}

//! bindings iX iMovingMean iMovingVariance iGamma iBeta -> iY

/**
 * Inference, one invocation per (row group g, channel c) as normalize:
 * y = gamma (x - moving_mean) / sqrt(moving_variance + EPS) + beta. Dispatch (ceil(ROW_GROUPS * C / WG), 1, 1).
 */
//! each forward_infer(ROW_GROUPS * C)
fn forward_infer_at(g: u32) {
  let c = g % C;
  let invStd = inverseSqrt(iMovingVariance[c] + EPS);
  let a = affine(invStd, iGamma[c], 0.0);
  let b = affine(-iMovingMean[c] * invStd, iGamma[c], iBeta[c]);
  for (var r = g / C; r < BATCH * PER_SAMPLE; r += ROW_GROUPS) { iY[r * C + c] = iX[r * C + c] * a + b; }
}

//! bindings gpX gpDy gpStats gpStep:StepState -> gpPartial

/**
 * One invocation: part p of channel c over its valid rows: partial[2 (p C + c)] = sum dY,
 * partial[2 (p C + c) + 1] = sum dY * xhat with xhat = (x - mean) / sqrt(var + EPS).
 * Dispatch (ceil(PARTS * C / WG), 1, 1).
 */
//! each grad_partial(PARTS * C)
fn grad_partial_at(i: u32) {
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

//! bindings gfPartial -> gfSums gfDGamma gfDBeta

/**
 * One invocation per channel c: dBeta = sum dY and dGamma = sum dY * xhat over the parts; also kept in
 * sums[c], sums[C + c] for backward_dx (dGamma / dBeta may be placeholders when scale / center are off).
 * Dispatch (ceil(C / WG), 1, 1).
 */
//! each grad_finalize(C)
fn grad_finalize_at(c: u32) {
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

//! bindings bX bDy bStats bSums bGamma bStep:StepState -> bDx

/**
 * One invocation per (row group g, channel c), over rows g, g + ROW_GROUPS, ...: for the N valid rows
 * dX = gamma / sqrt(var + EPS) * (dY - sum dY / N - xhat * sum(dY xhat) / N), which is k dY + m x + q with
 * per-channel k, m, q computed once; 0 for padding rows. Dispatch (ceil(ROW_GROUPS * C / WG), 1, 1).
 */
//! each backward_dx(ROW_GROUPS * C)
fn backward_dx_at(g: u32) {
  let c = g % C;
  let valid = validRowCount(bStep);
  let n = f32(valid);
  let invStd = bStats[C + c];
  let k = select(1.0, bGamma[c], HAS_GAMMA) * invStd;
  let m = -k * invStd * bSums[C + c] / n;
  let q = -k * bSums[c] / n - m * bStats[c];
  for (var r = g / C; r < BATCH * PER_SAMPLE; r += ROW_GROUPS) {
    let i = r * C + c;
    bDx[i] = select(0.0, k * bDy[i] + m * bX[i] + q, r < valid);
  }
}
