// Asynchronous metric read-backs with weight checkpoints, from a small ring of preallocated slots.
//
// A step that reads its metrics also copies the weights it starts from into the slot's checkpoint (before its
// kernels run) and the summed metrics into the slot's staging buffer (after them, then clears the sums). The
// metrics cover that step's forward pass, which used exactly the checkpointed weights: when they are finite
// the checkpoint is known good and becomes the one to restore if the loss later turns NaN/Inf. A slot is
// reused only once its read has resolved, so no checkpoint is overwritten while it may still be needed, and
// the newest good one stays reserved until a newer one replaces it. Three slots (two reads in flight plus the
// good one) cost three copies of the parameters in GPU memory.
import type { GpuContext } from '../gpu/context';
import type { CompiledParam } from './graph';

type SlotState = 'free' | 'pending' | 'good';

interface Slot {
  staging: GPUBuffer;
  checkpoint: GPUBuffer;
  state: SlotState;
  /** Optimizer steps taken before the checkpointed weights' step. */
  step: number;
  done: Promise<void> | null;
}

export interface MetricsRead {
  lossSum: number;
  correct: number;
  count: number;
  /** Largest mean loss of a single step since the previous read. */
  maxStepLoss: number;
  /** The loss op saw a NaN/Inf logit or loss. */
  nonFinite: boolean;
  /** No NaN/Inf and no step above the divergence bound. */
  finite: boolean;
  slot: number;
}

/** Where the loss counts as diverged though finite: 100 times chance level, ln(classes) (230 for 10 classes). */
export function divergedLoss(classes: number): number {
  return 100 * Math.log(Math.max(2, classes));
}

export class ReadbackRing {
  private readonly slots: Slot[] = [];
  private readonly offsets: number[] = [];
  /** Index of the newest checkpoint with a finite loss, or -1. */
  good = -1;
  /**
   * Set by the first bad read: later reads may look finite again (dead ReLUs give a flat, finite loss) but
   * their weights come after the blow-up, so none of them may replace the good checkpoint until forget().
   */
  private poisoned = false;

  constructor(
    ctx: GpuContext,
    private readonly params: readonly CompiledParam[],
    private readonly lossBound: number,
    count = 3,
  ) {
    let bytes = 0;
    for (const p of params) {
      this.offsets.push(bytes);
      bytes += p.size * 4;
    }
    for (let i = 0; i < count; i++) {
      this.slots.push({
        staging: ctx.arena.create(`readback/${i}`, 32, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST),
        checkpoint: ctx.arena.create(
          `checkpoint/${i}`,
          bytes,
          GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
        ),
        state: 'free',
        step: 0,
        done: null,
      });
    }
  }

  /** A free slot, or -1 when every slot is reading or reserved. */
  freeSlot(): number {
    return this.slots.findIndex((s) => s.state === 'free');
  }

  /** Resolves when some slot is free (the oldest pending read has resolved). */
  async waitForFree(): Promise<number> {
    for (;;) {
      const k = this.freeSlot();
      if (k >= 0) return k;
      const pending = this.slots.filter((s) => s.done).map((s) => s.done!);
      if (pending.length === 0) throw new Error('read-back ring: no slot can become free');
      await Promise.race(pending);
    }
  }

  /** Before the step's kernels: its starting weights into slot k's checkpoint. */
  encodeCheckpoint(encoder: GPUCommandEncoder, k: number, step: number): void {
    const slot = this.slots[k];
    slot.state = 'pending';
    slot.step = step;
    this.params.forEach((p, i) => {
      encoder.copyBufferToBuffer(p.buffer, 0, slot.checkpoint, this.offsets[i], p.size * 4);
    });
  }

  /** After the step's kernels: the summed metrics and the loss track into slot k, then zero both. */
  encodeMetrics(encoder: GPUCommandEncoder, k: number, metrics: GPUBuffer, track: GPUBuffer): void {
    encoder.copyBufferToBuffer(metrics, 0, this.slots[k].staging, 0, 16);
    encoder.copyBufferToBuffer(track, 0, this.slots[k].staging, 16, 16);
    encoder.clearBuffer(metrics, 0, 16);
    encoder.clearBuffer(track, 0, 16);
  }

  /** After the submit: maps slot k and resolves with its metrics; a finite read makes k the good checkpoint. */
  read(k: number): Promise<MetricsRead> {
    const slot = this.slots[k];
    const result = slot.staging.mapAsync(GPUMapMode.READ).then(
      () => {
        const m = new Float32Array(slot.staging.getMappedRange(0, 32));
        const read: MetricsRead = {
          lossSum: m[0],
          correct: m[1],
          count: m[2],
          maxStepLoss: m[6],
          nonFinite: m[3] !== 0 || !Number.isFinite(m[0]),
          finite: m[3] === 0 && Number.isFinite(m[0]) && Number.isFinite(m[6]) && m[6] <= this.lossBound,
          slot: k,
        };
        slot.staging.unmap();
        if (read.finite && !this.poisoned) {
          if (this.good >= 0 && this.good !== k) this.slots[this.good].state = 'free';
          this.good = k;
          slot.state = 'good';
        } else {
          this.poisoned ||= !read.finite;
          slot.state = 'free';
        }
        slot.done = null;
        return read;
      },
      (e: unknown) => {
        slot.state = 'free';
        slot.done = null;
        throw e;
      },
    );
    slot.done = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves when no read is pending. */
  async settle(): Promise<void> {
    for (;;) {
      const pending = this.slots.filter((s) => s.done).map((s) => s.done!);
      if (pending.length === 0) return;
      await Promise.all(pending);
    }
  }

  /** Steps taken before the weights of checkpoint k (for messages), or -1 without one. */
  stepOf(k: number): number {
    return k >= 0 ? this.slots[k].step : -1;
  }

  /** Copies checkpoint k (default: the newest good one) back into the parameters; false when there is none. */
  encodeRestore(encoder: GPUCommandEncoder, k = this.good): boolean {
    if (k < 0) return false;
    const slot = this.slots[k];
    this.params.forEach((p, i) => {
      encoder.copyBufferToBuffer(slot.checkpoint, this.offsets[i], p.buffer, 0, p.size * 4);
    });
    return true;
  }

  /**
   * Forgets every checkpoint (after new or restored weights, old checkpoints no longer describe the run) and
   * accepts good reads again.
   */
  forget(): void {
    for (const s of this.slots) if (s.state === 'good') s.state = 'free';
    this.good = -1;
    this.poisoned = false;
  }
}
