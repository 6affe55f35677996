// The training run's message reducer: a worker message plus the current run state gives the next run state.
// Pure (the time of arrival is an argument), so it is tested without a worker. The trainer's BatchEnd and
// EpochEnd arrive unchanged; this is the one place they are placed on the run's axes (a continued run keeps
// counting epochs and steps from its checkpoint).
import type { NamedWeight } from '../model';
import type { BatchEnd, CallbackEvent, EpochMetrics, EvaluationResult } from '../train/types';
import type { FromWorker } from '../worker/protocol';

export type TrainStatus = 'idle' | 'running' | 'paused' | 'done' | 'error';

/** Where the current fit starts on the run's axes, and when. */
export interface RunBase {
  /** Epochs (and global steps) the run had before this fit (a continued run starts at its checkpoint). */
  epoch: number;
  step: number;
  /** The model code the fit trains (the weights belong to it even if the editor changes meanwhile). */
  code: string;
  startedAt: number;
  /** When the current epoch started (the previous epoch end, or the start). */
  epochStartedAt: number;
}

export interface RunState {
  status: TrainStatus;
  statusDetail: string | null;
  base: RunBase | null;
  /** The last read-back of this fit, as the trainer reported it, and when it arrived. */
  lastBatch: BatchEnd | null;
  lastBatchAt: number;
  /** Which report is newer: the metrics panel shows that one (Keras's live line, or an epoch's final line). */
  latestFrom: 'batch' | 'epoch' | null;
  epochs: EpochMetrics[];
  /** What the Keras callbacks did, epochs on the run's axis (a continued run keeps counting). */
  callbackEvents: CallbackEvent[];
  /** Said when a fit ends: EarlyStopping ending it, callbacks that could not act (shown whatever verbose=). */
  runNotes: string[];
  /**
   * The run's accuracy under the Keras name metrics= gave it (null: the model reports only the loss), as the
   * trainer said when the fit started; undefined before any fit said.
   */
  accuracyName: string | null | undefined;
  evaluation: EvaluationResult | null;
  /** Seconds the final evaluation took (for the fit log's evaluate line). */
  evalSeconds: number | null;
  evalStartedAt: number | null;
  /** Weights of the last good step (a finished run or the last epoch checkpoint), and their model code. */
  weights: NamedWeight[] | null;
  weightsCode: string | null;
  checkpointEpoch: number;
  checkpointStep: number;
}

/** A run's state before it starts: the store starts here and Reset returns here (settings are kept). */
export const INITIAL_RUN: RunState = {
  status: 'idle',
  statusDetail: null,
  base: null,
  lastBatch: null,
  lastBatchAt: 0,
  latestFrom: null,
  epochs: [],
  callbackEvents: [],
  runNotes: [],
  accuracyName: undefined,
  evaluation: null,
  evalSeconds: null,
  evalStartedAt: null,
  weights: null,
  weightsCode: null,
  checkpointEpoch: 0,
  checkpointStep: 0,
};

/** What the page says when a fit ends: who ended it early (epochs 1-based on the run's axis), what did not act. */
function runNotes(m: Extract<FromWorker, { type: 'done' }>, at: number): string[] {
  const e = m.earlyStop;
  const early = e
    ? [
        `EarlyStopping ended the run after epoch ${at + e.epoch + 1}: ${e.monitor} was best at epoch ` +
          `${at + e.bestEpoch + 1} (${Number(e.best.toPrecision(4))})` +
          (e.restored ? ', whose weights were restored.' : '.'),
      ]
    : [];
  return [...early, ...(m.notes ?? [])];
}

/** The global step of a batch report of the current fit. */
export const globalStep = (base: RunBase, b: BatchEnd) => base.step + b.epoch * b.batchesPerEpoch + b.batch;

/** The next run state after `m` (only the fields that change), or null when `m` is not about the run. */
export function reduceRun(s: RunState, m: FromWorker, now: number): Partial<RunState> | null {
  switch (m.type) {
    case 'status':
      if (m.status === 'evaluating')
        return { statusDetail: 'evaluating on the test set…', evalStartedAt: now };
      return { status: m.status, statusDetail: null };
    case 'reported':
      return { accuracyName: m.accuracy };
    case 'callback': {
      if (!s.base) return null;
      const at = s.base.epoch;
      const e = m.event;
      const event: CallbackEvent =
        e.kind === 'EarlyStopping'
          ? { ...e, epoch: at + e.epoch, bestEpoch: at + e.bestEpoch }
          : { ...e, epoch: at + e.epoch };
      return { callbackEvents: [...s.callbackEvents, event] };
    }
    case 'batch':
      return { lastBatch: m.end, lastBatchAt: now, latestFrom: 'batch' };
    case 'epoch': {
      if (!s.base) return null;
      const e = m.end;
      const bpe = s.lastBatch?.batchesPerEpoch ?? 0;
      const metrics: EpochMetrics = {
        epoch: s.base.epoch + e.epoch,
        loss: e.loss,
        accuracy: e.accuracy,
        val_loss: e.val_loss ?? null,
        val_accuracy: e.val_accuracy ?? null,
        samplesPerSec: e.samplesPerSec,
        seconds: e.seconds,
        step: s.base.step + (e.epoch + 1) * bpe,
        batchesPerEpoch: bpe,
        ...(e.learning_rate !== undefined ? { learning_rate: e.learning_rate } : {}),
      };
      return {
        epochs: [...s.epochs.filter((x) => x.epoch !== metrics.epoch), metrics],
        latestFrom: 'epoch',
        base: { ...s.base, epochStartedAt: now },
      };
    }
    case 'checkpoint': {
      if (!s.base) return null;
      const done = s.epochs.find((e) => e.epoch === s.base!.epoch + m.epoch);
      return {
        weights: m.weights,
        weightsCode: s.base.code,
        checkpointEpoch: s.base.epoch + m.epoch + 1,
        checkpointStep: done?.step ?? s.checkpointStep,
      };
    }
    case 'done':
      return {
        runNotes: runNotes(m, s.base?.epoch ?? 0),
        status: 'done',
        statusDetail: m.stopped ? 'stopped' : null,
        evaluation: m.evaluation,
        evalSeconds: s.evalStartedAt === null ? null : (now - s.evalStartedAt) / 1000,
        weights: m.weights,
        weightsCode: s.base?.code ?? s.weightsCode,
      };
    case 'error':
      return {
        status: 'error',
        statusDetail: m.message,
        ...(m.weights ? { weights: m.weights, weightsCode: s.base?.code ?? s.weightsCode } : {}),
      };
    default:
      return null;
  }
}
