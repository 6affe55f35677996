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
  const shown = counts.slice(0, 200);
  const max = Math.max(1, ...shown);
  const names = dataset.classNames;
  return (
    <div
      className="hist"
      role="img"
      aria-label={`Training images per class: ${shown.map((c, i) => `${names[i]} ${c}`).join(', ')}`}
    >
      <div className="hist-bars">
        {shown.map((c, i) => (
          <div
            key={names[i]}
            style={{ height: `${Math.max(2, (100 * c) / max)}%` }}
            title={`${names[i]}: ${c}`}
          />
        ))}
      </div>
      {shown.length <= 30 && (
        <div className="hist-names">
          {shown.map((_, i) => (
            <span key={names[i]}>{names[i]}</span>
          ))}
        </div>
      )}
    </div>
  );
}
