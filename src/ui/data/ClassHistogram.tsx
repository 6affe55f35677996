// How many training images each class has.
import { useMemo } from 'react';
import { useDataset } from '../../store/dataset';

export function classCounts(labels: Int32Array, count: number, classes: number): number[] {
  const out = new Array(classes).fill(0);
  for (let i = 0; i < count; i++) if (labels[i] >= 0 && labels[i] < classes) out[labels[i]]++;
  return out;
}

export function ClassHistogram() {
  const dataset = useDataset((s) => s.dataset);
  const counts = useMemo(
    () => (dataset ? classCounts(dataset.train.labels, dataset.train.count, dataset.classNames.length) : []),
    [dataset],
  );
  if (!dataset || counts.length === 0) return null;
  const shown = counts.slice(0, 100);
  const max = Math.max(1, ...shown);
  const barW = Math.max(4, Math.min(28, Math.floor(400 / shown.length)));
  const H = 70;
  const width = shown.length * (barW + 2);
  return (
    <svg
      className="hist"
      width="100%"
      height={H + 16}
      viewBox={`0 0 ${width} ${H + 16}`}
      preserveAspectRatio="xMinYMid meet"
      role="img"
      aria-label="Training images per class"
    >
      {shown.map((c, i) => {
        const h = Math.max(1, (c / max) * H);
        const name = dataset.classNames[i];
        return (
          <g key={name}>
            <rect x={i * (barW + 2)} y={H - h} width={barW} height={h} fill="#9fb1cf">
              <title>
                {name}: {c}
              </title>
            </rect>
            {shown.length <= 20 && (
              <text x={i * (barW + 2) + barW / 2} y={H + 12} fontSize={9} textAnchor="middle" fill="#5b574f">
                {name.length > 5 ? name.slice(0, 4) : name}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
