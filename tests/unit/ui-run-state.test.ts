// The run's message reducer and the selectors derived from it: a batch report crosses unchanged and is
// placed on the run's axes once; progress, time left and the latest metrics are derived, never stored.
import { describe, expect, it } from 'vitest';
import { globalStep, INITIAL_RUN, type RunState, reduceRun } from '../../src/store/run-reducer';
import {
  selectAccuracyName,
  selectCanContinue,
  selectLatest,
  selectProgress,
} from '../../src/store/selectors';
import type { BatchEnd, EpochEnd } from '../../src/train/types';

const batch = (epoch: number, b: number, loss: number): BatchEnd => ({
  epoch,
  batch: b,
  batchesPerEpoch: 10,
  loss,
  accuracy: 1 - loss,
  samplesPerSec: 100 + b,
});
const epochEnd = (epoch: number): EpochEnd => ({
  epoch,
  loss: 0.3,
  accuracy: 0.7,
  val_loss: 0.25,
  val_accuracy: 0.8,
  samplesPerSec: 500,
  seconds: 2,
});

function run(base: { epoch: number; step: number }, msgs: [Parameters<typeof reduceRun>[1], number][]) {
  let s: RunState = {
    ...INITIAL_RUN,
    status: 'running',
    base: { ...base, code: 'code', startedAt: 0, epochStartedAt: 0 },
  };
  for (const [m, at] of msgs) s = { ...s, ...reduceRun(s, m, at) };
  return { ...s, settings: { epochs: 4 } };
}

describe('run reducer and selectors', () => {
  it('keeps the batch report as sent and derives progress and time left from it', () => {
    const s = run({ epoch: 0, step: 0 }, [[{ type: 'batch', end: batch(1, 5, 0.4) }, 3000]]);
    expect(s.lastBatch).toEqual(batch(1, 5, 0.4));
    const p = selectProgress(s)!;
    // 15 of 40 batches in 3 s: 25 batches left take 5 s.
    expect(p.epoch).toBe(1);
    expect(p.batch).toBe(5);
    expect(p.percent).toBeCloseTo(37.5);
    expect(p.etaSeconds).toBeCloseTo(5);
    expect(selectLatest(s).loss).toBe(0.4);
    expect(selectLatest(s).samplesPerSec).toBe(105);
  });

  it('places a continued fit after its checkpoint: epochs, steps and the checkpoint count on', () => {
    const base = { epoch: 2, step: 20 };
    const s = run(base, [
      [{ type: 'batch', end: batch(0, 10, 0.2) }, 1000],
      [{ type: 'epoch', end: epochEnd(0) }, 1100],
      [{ type: 'checkpoint', epoch: 0, weights: [] }, 1200],
    ]);
    expect(globalStep({ ...base, code: '', startedAt: 0, epochStartedAt: 0 }, batch(0, 10, 0.2))).toBe(30);
    expect(s.epochs).toHaveLength(1);
    expect(s.epochs[0]).toMatchObject({ epoch: 2, step: 30, batchesPerEpoch: 10, val_accuracy: 0.8 });
    expect(s.checkpointEpoch).toBe(3);
    expect(s.checkpointStep).toBe(30);
    expect(s.weightsCode).toBe('code');
    expect(selectProgress(s)!.percent).toBeCloseTo(75);
    // After an epoch ends the panel shows the epoch's numbers (Keras's final line), until the next batch.
    expect(selectLatest(s).loss).toBe(0.3);
    expect(selectLatest(s).valAccuracy).toBe(0.8);
    const next = { ...s, ...reduceRun(s, { type: 'batch', end: batch(1, 2, 0.15) }, 1300) };
    expect(selectLatest(next).loss).toBe(0.15);
  });

  it('ends at 100% unless stopped; a stopped run with a checkpoint can continue', () => {
    const mid = run({ epoch: 0, step: 0 }, [
      [{ type: 'batch', end: batch(0, 10, 0.5) }, 500],
      [{ type: 'epoch', end: epochEnd(0) }, 600],
      [{ type: 'checkpoint', epoch: 0, weights: [] }, 700],
      [{ type: 'status', status: 'evaluating' }, 1000],
    ]);
    const done = {
      ...mid,
      ...reduceRun(mid, { type: 'done', stopped: false, evaluation: null, weights: [] }, 1500),
    };
    expect(selectProgress(done)!.percent).toBe(100);
    expect(done.evalSeconds).toBeCloseTo(0.5);
    expect(selectCanContinue(done)).toBe(false);
    const stopped = {
      ...mid,
      ...reduceRun(mid, { type: 'done', stopped: true, evaluation: null, weights: [] }, 1500),
    };
    expect(selectProgress(stopped)!.percent).toBeCloseTo(25);
    expect(selectCanContinue(stopped)).toBe(true);
  });

  it('has no progress before the first report and ignores messages that are not about the run', () => {
    const s = run({ epoch: 0, step: 0 }, []);
    expect(selectProgress(s)).toBeNull();
    expect(reduceRun(s, { type: 'activations', maps: [] }, 0)).toBeNull();
    expect(selectLatest(s).loss).toBeNull();
  });

  it("places the callbacks' events and the learning rate on the run's axis, and keeps the accuracy's name", () => {
    const s = run({ epoch: 2, step: 20 }, [
      [{ type: 'reported', accuracy: null }, 0],
      [{ type: 'batch', end: batch(0, 10, 0.2) }, 1000],
      [{ type: 'epoch', end: { ...epochEnd(0), learning_rate: 0.01 } }, 1100],
      [{ type: 'callback', event: { kind: 'ReduceLROnPlateau', epoch: 0, learningRate: 0.001 } }, 1100],
      [{ type: 'callback', event: { kind: 'EarlyStopping', epoch: 1, bestEpoch: 0, restored: true } }, 1200],
    ]);
    expect(s.epochs[0].learning_rate).toBe(0.01);
    expect(s.callbackEvents).toEqual([
      { kind: 'ReduceLROnPlateau', epoch: 2, learningRate: 0.001 },
      { kind: 'EarlyStopping', epoch: 3, bestEpoch: 2, restored: true },
    ]);
    // The run's word wins over the code's metrics=; before any run said, the code's (no metrics=: accuracy).
    expect(selectAccuracyName(s.accuracyName, ['accuracy'])).toBeNull();
    expect(selectAccuracyName(INITIAL_RUN.accuracyName, [])).toBeNull();
    expect(selectAccuracyName(undefined, undefined)).toBe('accuracy');
    expect(selectAccuracyName(undefined, ['sparse_categorical_accuracy'])).toBe(
      'sparse_categorical_accuracy',
    );
    expect(selectAccuracyName('acc', [])).toBe('acc');
  });

  it('says when EarlyStopping ended a continued run (run axis, 1-based) and what the callbacks could not do', () => {
    const note = "ReduceLROnPlateau monitors 'val_loss', which is not logged (logged: loss); it did nothing.";
    const done = (earlyStop?: {
      epoch: number;
      monitor: string;
      best: number;
      bestEpoch: number;
      restored: boolean;
    }) =>
      run({ epoch: 4, step: 40 }, [
        [{ type: 'done', stopped: false, evaluation: null, weights: [], earlyStop, notes: [note] }, 1000],
      ]);
    expect(
      done({ epoch: 3, monitor: 'val_loss', best: 0.123456, bestEpoch: 1, restored: true }).runNotes,
    ).toEqual([
      'EarlyStopping ended the run after epoch 8: val_loss was best at epoch 6 (0.1235), whose weights were restored.',
      note,
    ]);
    expect(
      done({ epoch: 0, monitor: 'val_accuracy', best: 0.9, bestEpoch: 0, restored: false }).runNotes[0],
    ).toBe('EarlyStopping ended the run after epoch 5: val_accuracy was best at epoch 5 (0.9).');
    expect(done().runNotes).toEqual([note]);
    expect(INITIAL_RUN.runNotes).toEqual([]);
  });
});
