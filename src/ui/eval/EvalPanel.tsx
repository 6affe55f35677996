// Evaluation after a run: test accuracy, the confusion matrix, per-class accuracy, the most confidently
// wrong test images with their top-3, and a canvas to draw a digit and see the prediction live.
import { useEffect, useRef } from 'react';
import { useDataset } from '../../store/dataset';
import { useTraining } from '../../store/training';
import type { WrongExample } from '../../train/types';
import { drawSample } from '../common/images';
import { DrawDigit } from './DrawDigit';

export function perClassAccuracy(confusion: Int32Array, classes: number): (number | null)[] {
  return Array.from({ length: classes }, (_, c) => {
    let row = 0;
    for (let j = 0; j < classes; j++) row += confusion[c * classes + j];
    return row > 0 ? confusion[c * classes + c] / row : null;
  });
}

function Confusion({ m, n, names }: { m: Int32Array; n: number; names: string[] }) {
  let max = 1;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) max = Math.max(max, m[i * n + j]);
  let diagMax = 1;
  for (let i = 0; i < n; i++) diagMax = Math.max(diagMax, m[i * n + i]);
  const short = (s: string) => (s.length > 3 ? s.slice(0, 3) : s);
  return (
    <table
      className="confusion"
      data-testid="confusion-matrix"
      aria-label="Confusion matrix: rows are true classes, columns predicted"
    >
      <thead>
        <tr>
          <th scope="col" title="true \ predicted">
            t\p
          </th>
          {names.map((c) => (
            <th key={c} scope="col" title={c}>
              {short(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((r, i) => (
          <tr key={r}>
            <th scope="row" title={r}>
              {short(r)}
            </th>
            {names.map((c, j) => {
              const v = m[i * n + j];
              const diag = i === j;
              const a = diag ? v / diagMax : v / max;
              const bg =
                v === 0
                  ? 'transparent'
                  : diag
                    ? `rgba(45,79,134,${0.15 + 0.7 * a})`
                    : `rgba(181,83,45,${0.12 + 0.7 * a})`;
              return (
                <td
                  key={c}
                  style={{ background: bg, color: a > 0.6 ? '#fff' : '#23211d' }}
                  title={`true ${r}, predicted ${c}: ${v}`}
                >
                  {v || ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Wrong({ ex, names }: { ex: WrongExample; names: string[] }) {
  const dataset = useDataset((s) => s.dataset);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => drawSample(canvas.current, dataset, ex.index, true), [dataset, ex.index]);
  return (
    <figure>
      <canvas ref={canvas} aria-label={`test image ${ex.index}, true class ${names[ex.label]}`} />
      <figcaption>
        true <strong>{names[ex.label]}</strong>
        {ex.top3.map(([c, p]) => (
          <div key={c} className="num">
            {names[c]} {(p * 100).toFixed(1)}%
          </div>
        ))}
      </figcaption>
    </figure>
  );
}

export function EvalPanel() {
  const ev = useTraining((s) => s.evaluation);
  const dataset = useDataset((s) => s.dataset);
  const names = dataset?.classNames ?? [];
  const fits = ev && names.length === ev.numClasses;
  const perClass = ev ? perClassAccuracy(ev.confusion, ev.numClasses) : [];
  return (
    <section className="card" aria-labelledby="eval-title">
      <div className="card-head">
        <h2 id="eval-title">Evaluation</h2>
        {ev && (
          <span className="muted small">
            on {ev.count.toLocaleString('en-US')} {ev.split === 'test' ? 'test' : 'validation'} images
          </span>
        )}
      </div>
      {!ev && <div className="muted small">Train a model to see its test accuracy and its mistakes.</div>}
      {ev && (
        <>
          <div className="eval-top">
            <span className="eval-acc">
              <span data-testid="eval-accuracy">{ev.accuracy.toFixed(4)}</span>
            </span>
            <span className="muted">test accuracy · loss {ev.loss.toFixed(4)}</span>
          </div>
          {fits && (
            <div className="row2b" style={{ marginTop: 10 }}>
              <div style={{ overflowX: 'auto' }}>
                <div className="section-sub">Confusion matrix</div>
                <Confusion m={ev.confusion} n={ev.numClasses} names={names} />
              </div>
              <div>
                <div className="section-sub">Per-class accuracy</div>
                <div className="perclass">
                  {perClass.slice(0, 40).map((a, i) => (
                    <PerClassRow key={names[i]} name={names[i]} acc={a} />
                  ))}
                </div>
              </div>
            </div>
          )}
          {fits && ev.wrong.length > 0 && (
            <>
              <div className="section-sub">Most confidently wrong</div>
              <div className="wrong">
                {ev.wrong.map((w) => (
                  <Wrong key={w.index} ex={w} names={names} />
                ))}
              </div>
            </>
          )}
        </>
      )}
      <div className="section-sub">Draw and predict</div>
      <DrawDigit />
    </section>
  );
}

function PerClassRow({ name, acc }: { name: string; acc: number | null }) {
  return (
    <>
      <span>{name}</span>
      <span className="bar">
        <div style={{ width: `${(acc ?? 0) * 100}%` }} />
      </span>
      <span className="num">{acc === null ? '–' : `${(acc * 100).toFixed(1)}%`}</span>
    </>
  );
}
