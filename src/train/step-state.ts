// The STEP state buffer (layout in src/ops/types.ts): written with queue.writeBuffer before every submit that
// runs kernels reading it. Queue writes and submits execute in call order, so each submit sees its own values.
import type { GpuContext } from '../gpu/context';
import { STEP } from '../ops/types';

export class StepState {
  readonly buffer: GPUBuffer;
  private readonly words = new Uint32Array(STEP.words);
  private readonly lrView = new Float32Array(this.words.buffer, STEP.learningRateBits * 4, 1);

  constructor(
    private readonly ctx: GpuContext,
    seed: number,
    learningRate: number,
  ) {
    this.buffer = ctx.arena.storage('step-state', STEP.words);
    this.words[STEP.seed] = seed >>> 0;
    this.lrView[0] = learningRate;
  }

  /** Optimizer steps taken so far (Adam's t - 1). */
  step = 0;

  set learningRate(lr: number) {
    this.lrView[0] = lr;
  }
  get learningRate(): number {
    return this.lrView[0];
  }

  /** Queues the state for the next submit: where its batch starts and how many rows are real samples. */
  write(batchStart: number, validRows: number): void {
    this.words[STEP.step] = this.step;
    this.words[STEP.batchStart] = batchStart;
    this.words[STEP.validRows] = validRows;
    this.ctx.device.queue.writeBuffer(this.buffer, 0, this.words);
  }
}
