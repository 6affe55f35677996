// One epoch of fit: a seeded shuffle uploaded once, then one submitted step per batch with metric read-backs
// a few times a second (never awaited in the loop), at most a couple of steps in flight, and validation in
// inference mode at the end. Keras semantics: the epoch's loss and accuracy average over its samples.
import { Rng } from '../model/random';
import { gpuData } from './batch';
import type { DatasetState, Engine } from './engine';
import type { MetricsRead } from './readback';
import { EpochLoop } from './schedule';
import type { EpochEnd, FitOptions } from './types';

export interface EpochControl {
  /** Waits while paused; false once the run is stopped or the trainer destroyed. */
  betweenSteps(): Promise<boolean>;
  halted(): boolean;
}

export interface EpochResult {
  /** Null when the epoch was stopped or diverged. */
  end: EpochEnd | null;
  /** The first read-back whose loss was NaN/Inf or exploded. */
  diverged: MetricsRead | null;
}

/** The epoch's sample order: identity, or a Fisher-Yates shuffle seeded by (run seed, epoch). */
export function epochOrder(n: number, seed: number, epoch: number, shuffle: boolean): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (shuffle) new Rng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0).shuffle(order);
  return order;
}

export async function runEpoch(
  engine: Engine,
  data: DatasetState,
  epoch: number,
  seed: number,
  opts: FitOptions,
  control: EpochControl,
): Promise<EpochResult> {
  const t0 = performance.now();
  const { ring, net } = engine;
  const n = data.plan.trainCount;
  engine.ctx.device.queue.writeBuffer(
    data.indices,
    0,
    gpuData(epochOrder(n, seed, epoch, opts.shuffle ?? true)),
  );
  const loop = new EpochLoop(epoch, Math.ceil(n / net.batch), opts.callbacks?.onBatchEnd);
  // Set by a read-back callback: the loop stops stepping once it is.
  const bad: { read: MetricsRead | null } = { read: null };
  for (let b = 0; b < loop.batches && !bad.read; b++) {
    if (!(await control.betweenSteps())) break;
    const start = b * net.batch;
    // Read on the run's first step (its checkpoint is the starting weights), on an epoch's last (the epoch
    // average needs every step) and every ~250 ms; a forced read waits for a free slot, an optional one is
    // skipped when none is free.
    const forced = (epoch === 0 && b === 0) || b === loop.batches - 1;
    let slot = forced || loop.readDue() ? ring.freeSlot() : -1;
    if (forced && slot < 0) slot = await ring.waitForFree();
    engine.submitStep(data.trainSchedule, start, Math.min(net.batch, n - start), slot);
    if (slot >= 0) {
      loop.marked();
      const batch = b + 1;
      ring.read(slot).then(
        (m) => {
          if (!m.finite) bad.read ??= m;
          else loop.onRead(m, batch);
        },
        (e: unknown) => loop.fail(e),
      );
    }
    await engine.flow.afterSubmit();
  }
  await ring.settle();
  if (control.halted()) return { end: null, diverged: null };
  loop.throwIfFailed();
  engine.throwIfLost();
  if (bad.read) return { end: null, diverged: bad.read };
  const trainSeconds = (performance.now() - t0) / 1000;
  const end: EpochEnd = {
    epoch,
    loss: loop.sum.loss / loop.sum.count,
    accuracy: loop.sum.correct / loop.sum.count,
    samplesPerSec: n / trainSeconds,
    seconds: 0,
  };
  if (data.valSchedule && data.plan.val) {
    const v = await engine.evaluate(data.valSchedule, data.plan.val.count, false);
    end.val_loss = v.loss;
    end.val_accuracy = v.accuracy;
  }
  end.seconds = (performance.now() - t0) / 1000;
  return { end, diverged: null };
}

/** The metrics= names Paperweight computes: accuracy, by every name Keras gives it. */
export const ACCURACY_METRICS = [
  'accuracy',
  'acc',
  'sparse_categorical_accuracy',
  'categorical_accuracy',
  'binary_accuracy',
];

/** An epoch's Keras logs: loss, accuracy under every name metrics= gave it, their val_ twins, learning_rate. */
export function epochLogs(e: EpochEnd, metrics: readonly string[]): Record<string, number | undefined> {
  const logs: Record<string, number | undefined> = { loss: e.loss, val_loss: e.val_loss };
  for (const m of ['accuracy', ...metrics.filter((m) => ACCURACY_METRICS.includes(m))]) {
    logs[m] = e.accuracy;
    logs[`val_${m}`] = e.val_accuracy;
  }
  if (e.learning_rate !== undefined) logs.learning_rate = e.learning_rate;
  return logs;
}
