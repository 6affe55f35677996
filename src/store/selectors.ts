// What the panels show, derived from the run state: progress and time left, and the latest metrics. Derived
// on read (never stored), so there is one record of each batch and nothing to keep in step.
import type { RunState } from './run-reducer';

export interface Progress {
  /** 0-based over the whole run. */
  epoch: number;
  epochs: number;
  /** Batches of this epoch done (1-based, as Keras prints `12/844`). */
  batch: number;
  batchesPerEpoch: number;
  /** 0..100 over the whole run. */
  percent: number;
  /** Seconds left at the pace of this fit so far, or null before the first read-back. */
  etaSeconds: number | null;
}

export interface LatestMetrics {
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  samplesPerSec: number | null;
}

type View = RunState & { settings: { epochs: number } };

export function selectProgress(s: View): Progress | null {
  const total = s.settings.epochs;
  const b = s.lastBatch;
  const finished = s.status === 'done' && s.statusDetail !== 'stopped';
  if (!b || !s.base) {
    const last = s.epochs[s.epochs.length - 1];
    if (!last) return null;
    return {
      epoch: last.epoch,
      epochs: total,
      batch: last.batchesPerEpoch ?? 0,
      batchesPerEpoch: last.batchesPerEpoch ?? 0,
      percent: finished ? 100 : Math.min(100, (100 * (last.epoch + 1)) / Math.max(1, total)),
      etaSeconds: null,
    };
  }
  const doneThisFit = b.epoch * b.batchesPerEpoch + b.batch;
  const done = s.base.epoch * b.batchesPerEpoch + doneThisFit;
  const all = total * b.batchesPerEpoch;
  const elapsed = (s.lastBatchAt - s.base.startedAt) / 1000;
  return {
    epoch: s.base.epoch + b.epoch,
    epochs: total,
    batch: b.batch,
    batchesPerEpoch: b.batchesPerEpoch,
    percent: finished ? 100 : Math.min(100, (100 * done) / Math.max(1, all)),
    etaSeconds: finished ? 0 : doneThisFit > 0 ? (elapsed / doneThisFit) * Math.max(0, all - done) : null,
  };
}

export function selectLatest(s: RunState): LatestMetrics {
  const e = s.epochs[s.epochs.length - 1] ?? null;
  const b = s.lastBatch;
  const fromBatch = b !== null && (s.latestFrom === 'batch' || e === null);
  return {
    loss: fromBatch ? b.loss : (e?.loss ?? null),
    accuracy: fromBatch ? b.accuracy : (e?.accuracy ?? null),
    valLoss: e?.val_loss ?? null,
    valAccuracy: e?.val_accuracy ?? null,
    samplesPerSec: fromBatch ? b.samplesPerSec : (e?.samplesPerSec ?? null),
  };
}

/** A run that stopped early with a checkpoint can continue from it. */
export function selectCanContinue(s: View & { weights: unknown }): boolean {
  return (
    s.weights !== null &&
    s.checkpointEpoch > 0 &&
    s.checkpointEpoch < s.settings.epochs &&
    (s.status === 'idle' || s.status === 'error' || (s.status === 'done' && s.statusDetail === 'stopped'))
  );
}

/**
 * The accuracy's Keras name the panels show (null: the model reports only the loss): the run's, as the trainer
 * said, else what the code's metrics= asks for. The code reader keeps only the metrics Paperweight computes
 * (accuracy under its Keras names), so the first is the accuracy's name; no metrics= means ['accuracy'].
 */
export function selectAccuracyName(
  run: string | null | undefined,
  metrics: readonly string[] | undefined,
): string | null {
  if (run !== undefined) return run;
  return (metrics ?? ['accuracy'])[0] ?? null;
}
