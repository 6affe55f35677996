// Chart data for the curves: per-batch raw values decimated to a few thousand points (min and max of each
// bucket, so spikes stay visible), an exponential moving average computed over every point, and the
// per-epoch validation points merged in on the same step axis. Keeps uPlot smooth over 100,000+ batches.
export interface ChartData {
  x: number[];
  raw: (number | null)[];
  smooth: (number | null)[];
  val: (number | null)[];
}

/** Debiased EMA (as TensorBoard smooths), over the first `n` values. */
export function ema(values: ArrayLike<number>, n: number, weight: number): Float64Array {
  const out = new Float64Array(n);
  let acc = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      acc = acc * weight + (1 - weight) * v;
      norm = norm * weight + (1 - weight);
    }
    out[i] = norm > 0 ? acc / norm : Number.NaN;
  }
  return out;
}

export function chartData(
  steps: ArrayLike<number>,
  values: ArrayLike<number>,
  n: number,
  valPoints: { step: number; value: number | null }[],
  maxPoints = 2000,
  // Few points smooth lightly (else the line lags far behind), many points smooth more.
  weight = Math.min(0.95, Math.max(0.6, 1 - 20 / Math.max(1, n))),
): ChartData {
  const smooth = ema(values, n, weight);
  const xs: number[] = [];
  const raw: (number | null)[] = [];
  const sm: (number | null)[] = [];
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  const buckets = Math.floor(maxPoints / 2);
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) {
      xs.push(steps[i]);
      raw.push(fin(values[i]));
      sm.push(fin(smooth[i]));
    }
  } else {
    for (let b = 0; b < buckets; b++) {
      const a = Math.floor((b * n) / buckets);
      const z = Math.floor(((b + 1) * n) / buckets);
      let lo = a;
      let hi = a;
      for (let i = a; i < z; i++) {
        if (values[i] < values[lo]) lo = i;
        if (values[i] > values[hi]) hi = i;
      }
      // Two points per bucket in the order they happened.
      const [p, q] = lo <= hi ? [lo, hi] : [hi, lo];
      xs.push(steps[p], steps[q]);
      raw.push(fin(values[p]), fin(values[q]));
      sm.push(fin(smooth[p]), fin(smooth[q]));
    }
  }
  const val: (number | null)[] = xs.map(() => null);
  // Merge the validation points in step order.
  const points = valPoints.filter((v) => v.value !== null).sort((a, b) => a.step - b.step);
  if (points.length === 0) return { x: xs, raw, smooth: sm, val };
  const out: ChartData = { x: [], raw: [], smooth: [], val: [] };
  let j = 0;
  for (let i = 0; i <= xs.length; i++) {
    while (j < points.length && (i === xs.length || points[j].step <= xs[i])) {
      out.x.push(points[j].step);
      out.raw.push(null);
      out.smooth.push(null);
      out.val.push(points[j].value);
      j++;
    }
    if (i < xs.length) {
      out.x.push(xs[i]);
      out.raw.push(raw[i]);
      out.smooth.push(sm[i]);
      out.val.push(null);
    }
  }
  return out;
}
