import { describe, expect, it } from 'vitest';
import { Series } from '../../src/store/series';
import { chartData, ema } from '../../src/ui/curves/decimate';

describe('curve data', () => {
  it('keeps every point when there are few, and smooths with a debiased EMA', () => {
    const steps = [1, 2, 3, 4];
    const vals = [4, 2, 2, 2];
    const d = chartData(steps, vals, 4, [], 100, 0.5);
    expect(d.x).toEqual(steps);
    expect(d.raw).toEqual(vals);
    // Debiased: the first smoothed value equals the first value; then moves halfway each step (bias-corrected).
    expect(d.smooth[0]).toBeCloseTo(4);
    const s = ema(vals, 4, 0.5);
    expect(s[1]).toBeCloseTo((0.5 * 0.5 * 4 + 0.5 * 2) / 0.75);
    expect(d.val.every((v) => v === null)).toBe(true);
  });

  it('decimates 150,000 points to at most maxPoints and keeps the extremes', () => {
    const n = 150_000;
    const steps = new Float64Array(n).map((_, i) => i + 1);
    const vals = new Float64Array(n).map((_, i) => 1 + Math.sin(i / 500) * 0.1);
    vals[77_777] = 50; // a spike must stay visible
    vals[12_345] = 0.001;
    const d = chartData(steps, vals, n, [], 2000);
    expect(d.x.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...(d.raw as number[]))).toBe(50);
    expect(Math.min(...(d.raw as number[]))).toBe(0.001);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThanOrEqual(d.x[i - 1]);
  });

  it('merges the per-epoch validation points in step order', () => {
    const steps = [1, 2, 3, 4, 5, 6];
    const vals = [1, 1, 1, 1, 1, 1];
    const d = chartData(steps, vals, 6, [
      { step: 6, value: 0.5 },
      { step: 3, value: 0.7 },
      { step: 4, value: null },
    ]);
    const at = d.val.map((v, i) => [d.x[i], v]).filter(([, v]) => v !== null);
    expect(at).toEqual([
      [3, 0.7],
      [6, 0.5],
    ]);
    expect(d.x.length).toBe(8);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThanOrEqual(d.x[i - 1]);
  });

  it('grows the batch series and snapshots/restores it', () => {
    const s = new Series();
    for (let i = 0; i < 3000; i++) s.push(i + 1, 1 / (i + 1), i / 3000);
    expect(s.length).toBe(3000);
    const snap = s.snapshot();
    const t = new Series();
    t.restore(snap);
    expect(t.length).toBe(3000);
    expect(t.loss[2999]).toBeCloseTo(1 / 3000);
    expect(t.version).toBeGreaterThan(0);
  });
});
