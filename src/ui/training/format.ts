// Numbers as the panels print them: metrics as plain numbers (tests read them), durations as m:ss.
export function formatMetric(v: number | null, digits = 4): string {
  if (v === null || v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  return digits === 0 ? String(Math.round(v)) : v.toFixed(digits);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
