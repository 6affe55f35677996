// Keeps every training run in the run list when it ends (finished, stopped or failed after some progress),
// and puts a kept run's code and settings back.
import { useDataset } from './dataset';
import { useModel } from './model';
import { subsetLimit } from './run-config';
import { codeHash, type RunRecord, thin } from './run-record';
import { useRuns } from './runs';
import { selectLatest } from './selectors';
import { batchSeries } from './series';
import { type TrainingState, useTraining } from './training';

export function recordOf(t: TrainingState, number: number, now = Date.now()): RunRecord | null {
  if (!t.base || (t.epochs.length === 0 && batchSeries.length === 0)) return null;
  const latest = selectLatest(t);
  const ds = useDataset.getState().dataset;
  const subset = subsetLimit();
  return {
    id: `run-${now}-${number}`,
    number,
    createdAt: now,
    code: t.base.code,
    codeHash: codeHash(t.base.code),
    modelName: useModel.getState().built?.name ?? 'model',
    settings: { ...t.settings },
    dataset: ds ? `${ds.name}${subset ? ` (first ${subset})` : ''}` : 'unknown',
    curves: thin(batchSeries.snapshot()),
    epochs: t.epochs,
    final: {
      loss: latest.loss,
      accuracy: latest.accuracy,
      valLoss: latest.valLoss,
      valAccuracy: latest.valAccuracy,
      testAccuracy: t.evaluation?.accuracy ?? null,
    },
    outcome: t.status === 'error' ? 'error' : t.statusDetail === 'stopped' ? 'stopped' : 'finished',
  };
}

/** From now on, each run that ends is kept. */
export function keepRuns(): void {
  void useRuns.getState().load();
  useTraining.subscribe((s, prev) => {
    const wasRunning = prev.status === 'running' || prev.status === 'paused';
    if (!wasRunning || (s.status !== 'done' && s.status !== 'error')) return;
    const runs = useRuns.getState().runs;
    const r = recordOf(s, Math.max(0, ...runs.map((x) => x.number)) + 1);
    if (r) void useRuns.getState().add(r);
  });
}

/** Puts a kept run's code in the editor (built) and its settings in the training panel. */
export function restoreRun(r: RunRecord): void {
  // Applying code sets the settings the code names; the run's own settings then win.
  useModel.getState().apply(r.code);
  useTraining.getState().setSettings(r.settings);
}
