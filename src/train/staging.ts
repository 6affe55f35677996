// Read-backs outside the training loop (evaluation results, predictions, activations, weights) through one
// preallocated staging buffer, one read at a time.
import type { GpuContext } from '../gpu/context';

export interface Copy {
  buffer: GPUBuffer;
  bytes: number;
}

export class StagingReader {
  private readonly staging: GPUBuffer;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: GpuContext,
    readonly capacity: number,
  ) {
    this.staging = ctx.arena.create(
      'staging/read',
      capacity,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
  }

  /**
   * Copies each source's first `bytes` into the staging buffer back to back (after everything already
   * submitted), maps it and hands `parse` a copy of those bytes. Reads queue behind each other.
   */
  read<T>(copies: readonly Copy[], parse: (bytes: ArrayBuffer) => T): Promise<T> {
    const total = copies.reduce((a, c) => a + c.bytes, 0);
    if (total > this.capacity) {
      return Promise.reject(new Error(`staging read of ${total} bytes exceeds its ${this.capacity}`));
    }
    const { device } = this.ctx;
    const run = async (): Promise<T> => {
      const encoder = device.createCommandEncoder();
      let offset = 0;
      for (const c of copies) {
        encoder.copyBufferToBuffer(c.buffer, 0, this.staging, offset, c.bytes);
        offset += c.bytes;
      }
      device.queue.submit([encoder.finish()]);
      await this.staging.mapAsync(GPUMapMode.READ, 0, Math.max(4, total));
      try {
        return parse(this.staging.getMappedRange(0, Math.max(4, total)).slice(0, total));
      } finally {
        this.staging.unmap();
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  destroy(): void {
    this.ctx.arena.release(this.staging);
  }
}
