// CIFAR binary records: 1 label byte (CIFAR-10) or coarse + fine label bytes (CIFAR-100), then 1024 red,
// 1024 green and 1024 blue bytes of a 32x32 image (planar). Written as NHWC straight into the output,
// record by record as the bytes arrive, whatever the chunk boundaries.
import type { ImageAccumulator } from './accumulate';
import { DatasetError } from './types';

export const CIFAR_PIXELS = 32 * 32;
export const CIFAR_IMAGE = CIFAR_PIXELS * 3;

/** Planar RGB (3 x 1024) at src[offset] to interleaved HWC at dst[dstOffset]. */
export function planarToHwc(src: Uint8Array, offset: number, dst: Uint8Array, dstOffset: number): void {
  for (let p = 0; p < CIFAR_PIXELS; p++) {
    const o = dstOffset + 3 * p;
    dst[o] = src[offset + p];
    dst[o + 1] = src[offset + CIFAR_PIXELS + p];
    dst[o + 2] = src[offset + 2 * CIFAR_PIXELS + p];
  }
}

export class CifarRecordWriter {
  readonly recordSize: number;
  private readonly staging: Uint8Array;
  private staged = 0;
  /** Records written from this file. */
  records = 0;

  constructor(
    private readonly out: ImageAccumulator,
    private readonly labelBytes: 1 | 2,
    private readonly classCount: number,
    private readonly datasetName: string,
    private readonly file: string,
  ) {
    this.recordSize = labelBytes + CIFAR_IMAGE;
    this.staging = new Uint8Array(this.recordSize);
  }

  private write(src: Uint8Array, offset: number): void {
    // CIFAR-100 puts the coarse label first; the fine label (100 classes) is the one Keras uses by default.
    const label = src[offset + this.labelBytes - 1];
    if (label >= this.classCount) {
      throw new DatasetError(
        this.file,
        `label ${label} of image ${this.records} is out of range: ${this.datasetName} has ${this.classCount} classes, labels 0-${this.classCount - 1}`,
      );
    }
    const at = this.out.add(label);
    planarToHwc(src, offset + this.labelBytes, this.out.images, at);
    this.records++;
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    if (this.staged > 0) {
      const take = Math.min(this.recordSize - this.staged, chunk.length);
      this.staging.set(chunk.subarray(0, take), this.staged);
      this.staged += take;
      i = take;
      if (this.staged < this.recordSize) return;
      this.write(this.staging, 0);
      this.staged = 0;
    }
    const whole = Math.floor((chunk.length - i) / this.recordSize);
    this.out.reserve(whole);
    for (let r = 0; r < whole; r++, i += this.recordSize) this.write(chunk, i);
    if (i < chunk.length) {
      this.staging.set(chunk.subarray(i), 0);
      this.staged = chunk.length - i;
    }
  }

  /** Refuses a file that ends inside a record. `expected` is the record count the size promised, if known. */
  finish(expected?: number): void {
    if (this.staged > 0 || (expected !== undefined && this.records < expected)) {
      const promised =
        expected !== undefined ? `should hold ${expected} records` : 'is not a whole number of records';
      throw new DatasetError(
        this.file,
        `truncated: ${promised} of ${this.recordSize} bytes (${this.labelBytes === 1 ? 'label' : '2 labels'} + 32x32x3) but holds ${this.records}${this.staged ? ` and ${this.staged} bytes of another` : ''}`,
      );
    }
  }
}
