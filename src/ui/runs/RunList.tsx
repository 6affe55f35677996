// The kept runs: pick two or more to overlay their curves and see the settings they differ in; restore a
// run's code and settings with one click.
import { useMemo } from 'react';
import { restoreRun } from '../../store/record-run';
import { type RunRecord, settingsDiff } from '../../store/run-record';
import { useRuns } from '../../store/runs';
import { useTraining } from '../../store/training';
import { formatMetric } from '../training/format';
import { CompareChart, runColor } from './CompareChart';

function describe(r: RunRecord): string {
  const s = r.settings;
  return `${s.optimizer} lr ${s.learningRate} · batch ${s.batchSize} · ${r.epochs.length}/${s.epochs} ep`;
}

export function RunList() {
  const runs = useRuns((s) => s.runs);
  const selected = useRuns((s) => s.selected);
  const message = useRuns((s) => s.message);
  const busy = useTraining((s) => s.status === 'running' || s.status === 'paused');
  const { toggle, remove } = useRuns.getState();
  const chosen = useMemo(() => runs.filter((r) => selected.includes(r.id)), [runs, selected]);
  const diffs = useMemo(() => settingsDiff(chosen), [chosen]);
  return (
    <section className="card" aria-labelledby="runs-title">
      <div className="card-head">
        <h2 id="runs-title">Runs</h2>
        <span className="muted small">tick two or more to compare</span>
      </div>
      {message && (
        <div className="status-detail error" role="alert" data-testid="run-list-message">
          {message}
        </div>
      )}
      <ul className="run-list" data-testid="run-list">
        {runs.length === 0 && <li className="muted small">Every training run is kept here when it ends.</li>}
        {[...runs].reverse().map((r) => {
          const at = chosen.indexOf(r);
          return (
            <li key={r.id} className="run-item" data-testid="run-item" data-run={r.number}>
              <label>
                <input
                  type="checkbox"
                  data-testid="run-select"
                  checked={selected.includes(r.id)}
                  onChange={() => toggle(r.id)}
                />
                <span className="swatch" style={{ background: at >= 0 ? runColor(at) : 'transparent' }} />
                <strong>#{r.number}</strong> <span className="small">{describe(r)}</span>
              </label>
              <span className="small muted num" title="validation accuracy of the last epoch">
                {r.final.valAccuracy !== null ? `val ${formatMetric(r.final.valAccuracy)}` : r.outcome}
              </span>
              <button
                type="button"
                className="btn small"
                data-testid="run-restore"
                disabled={busy}
                title="Put this run's code and settings back"
                onClick={() => restoreRun(r)}
              >
                Restore
              </button>
              <button
                type="button"
                className="btn small"
                aria-label={`Delete run ${r.number}`}
                onClick={() => void remove(r.id)}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      {chosen.length >= 2 && (
        <>
          <CompareChart runs={chosen} />
          <table className="run-diff" data-testid="run-diff">
            <tbody>
              {diffs.length === 0 ? (
                <tr>
                  <td className="muted small">Same code, data and settings.</td>
                </tr>
              ) : (
                diffs.map((d) => (
                  <tr key={d.label} data-setting={d.label}>
                    <th scope="row">{d.label}</th>
                    {d.values.map((v, i) => (
                      <td key={chosen[i].id} style={{ color: runColor(i) }}>
                        {v}
                      </td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
