// Every GPU buffer goes through the arena, so memory in use is known (for the UI, the soak test and the
// "model too large" check) and a compiled model frees all it made in one call.
export class BufferArena {
  private readonly buffers = new Set<GPUBuffer>();
  private bytes = 0;
  /** Number of createBuffer calls so far: the hot path must leave it unchanged after the first step. */
  allocations = 0;
  /** Open `collect` calls, innermost last: each records the buffers created while it runs. */
  private readonly collecting: GPUBuffer[][] = [];

  constructor(readonly device: GPUDevice) {}

  create(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const padded = Math.max(16, Math.ceil(size / 16) * 16);
    const maxSize = this.device.limits.maxBufferSize;
    if (padded > maxSize) {
      throw new Error(
        `${label} needs ${formatBytes(padded)} in one GPU buffer, more than this adapter allows (${formatBytes(maxSize)})`,
      );
    }
    const buffer = this.device.createBuffer({ label, size: padded, usage });
    this.buffers.add(buffer);
    this.bytes += padded;
    this.allocations++;
    for (const list of this.collecting) list.push(buffer);
    return buffer;
  }

  /** A storage buffer of f32 (or any 4-byte element), readable back and writable from the CPU. */
  storage(label: string, elements: number, extraUsage: GPUBufferUsageFlags = 0): GPUBuffer {
    return this.create(
      label,
      elements * 4,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extraUsage,
    );
  }

  uniform(label: string, data: ArrayBuffer | ArrayBufferView): GPUBuffer {
    const bytes = data instanceof ArrayBuffer ? data.byteLength : data.byteLength;
    const buffer = this.create(label, bytes, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const view =
      data instanceof ArrayBuffer ? data : data.buffer.slice(data.byteOffset, data.byteOffset + bytes);
    this.device.queue.writeBuffer(buffer, 0, view as ArrayBuffer);
    return buffer;
  }

  /**
   * Runs `fn` (synchronously) and returns the buffers created meanwhile, so an owner such as a compiled model
   * can report its own memory and release exactly what it made while other owners share the arena. If `fn`
   * throws, the buffers it made are released.
   */
  collect<T>(fn: () => T): { value: T; buffers: GPUBuffer[] } {
    const buffers: GPUBuffer[] = [];
    this.collecting.push(buffers);
    try {
      return { value: fn(), buffers };
    } catch (e) {
      // What a failed construction made is nobody's: free it rather than leak it.
      for (const b of buffers) this.release(b);
      throw e;
    } finally {
      this.collecting.splice(this.collecting.indexOf(buffers), 1);
    }
  }

  release(buffer: GPUBuffer): void {
    if (!this.buffers.delete(buffer)) return;
    this.bytes -= buffer.size;
    buffer.destroy();
  }

  get bytesInUse(): number {
    return this.bytes;
  }

  destroyAll(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.clear();
    this.bytes = 0;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
