// The pacing of the step loop: a bound on steps in flight (so stop and pause act within a step or two and the
// queue never runs far ahead), yields to the event loop (so pause/stop and UI messages get through), and the
// per-epoch bookkeeping of metric read-backs.

import type { MetricsRead } from './readback';
import type { BatchEnd } from './types';

const READ_INTERVAL_MS = 250;
const YIELD_INTERVAL_MS = 50;

/** A macrotask turn without the 4 ms clamp of nested setTimeout where MessageChannel exists. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class Flow {
  private readonly fences: Promise<unknown>[] = [];
  private lastYield = performance.now();

  constructor(
    private readonly device: GPUDevice,
    private readonly maxInFlight = 2,
  ) {}

  /** Call after each submit: waits until at most maxInFlight submits are unfinished. */
  async afterSubmit(): Promise<void> {
    this.fences.push(this.device.queue.onSubmittedWorkDone());
    while (this.fences.length > this.maxInFlight) await this.fences.shift();
  }

  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_INTERVAL_MS) return;
    this.lastYield = now;
    await yieldToEventLoop();
  }
}

/** Sums of one epoch's read-backs and the onBatchEnd reports. */
export class EpochLoop {
  readonly sum = { loss: 0, correct: 0, count: 0 };
  private lastMark = performance.now();
  private lastResolved = performance.now();
  private failure: { error: unknown } | null = null;

  constructor(
    readonly epoch: number,
    readonly batches: number,
    private readonly onBatchEnd?: (b: BatchEnd) => void,
  ) {}

  readDue(): boolean {
    return performance.now() - this.lastMark >= READ_INTERVAL_MS;
  }

  marked(): void {
    this.lastMark = performance.now();
  }

  onRead(m: MetricsRead, batch: number): void {
    this.sum.loss += m.lossSum;
    this.sum.correct += m.correct;
    this.sum.count += m.count;
    const now = performance.now();
    const seconds = Math.max(1e-6, (now - this.lastResolved) / 1000);
    this.lastResolved = now;
    if (!this.onBatchEnd || m.count === 0) return;
    try {
      this.onBatchEnd({
        epoch: this.epoch,
        batch,
        batchesPerEpoch: this.batches,
        loss: m.lossSum / m.count,
        accuracy: m.correct / m.count,
        samplesPerSec: m.count / seconds,
      });
    } catch (e) {
      this.fail(e);
    }
  }

  fail(error: unknown): void {
    this.failure ??= { error };
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
