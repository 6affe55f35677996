// One small multiple: a layer's weight norm (ink) and its update norm per step (orange, its own scale): how
// far the weights moved between two reads, divided by the steps between them (reads are not evenly spaced).
import type { LayerNorm } from '../../worker/insight';

const W = 120;
const H = 34;

function path(xs: number[], ys: (number | null)[]): string {
  const vals = ys.filter((y): y is number => y !== null && Number.isFinite(y));
  if (vals.length === 0) return '';
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  let d = '';
  xs.forEach((x, i) => {
    const y = ys[i];
    if (y === null || !Number.isFinite(y)) return;
    const px = x1 > x0 ? ((x - x0) / (x1 - x0)) * (W - 2) + 1 : W / 2;
    const py = H - 2 - (hi > lo ? ((y - lo) / (hi - lo)) * (H - 4) : (H - 4) / 2);
    d += `${d ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`;
  });
  return d;
}

export function NormChart({
  layer,
  points,
}: {
  layer: string;
  points: { step: number; norm: LayerNorm | undefined }[];
}) {
  const xs = points.map((p) => p.step);
  const weight = points.map((p) => p.norm?.weight ?? null);
  const update = points.map((p, i) => {
    const u = p.norm?.update ?? null;
    const steps = i > 0 ? p.step - points[i - 1].step : 0;
    return u === null || steps <= 0 ? null : u / steps;
  });
  const last = points[points.length - 1]?.norm;
  const lastUpdate = [...update].reverse().find((v) => v !== null) ?? null;
  return (
    <figure className="norm-chart" data-testid="norm-chart" data-layer={layer}>
      <figcaption>
        <span>{layer}</span>
        <span className="num small">
          ‖W‖ {last?.weight.toPrecision(3)}
          {lastUpdate != null ? ` · ‖ΔW‖/step ${lastUpdate.toPrecision(2)}` : ''}
        </span>
      </figcaption>
      <svg
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Weight and update norms of ${layer}`}
      >
        <path d={path(xs, update)} fill="none" stroke="#d08a2e" strokeWidth={1.2} />
        <path d={path(xs, weight)} fill="none" stroke="#2d4f86" strokeWidth={1.5} />
      </svg>
    </figure>
  );
}
