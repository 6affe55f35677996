// A growable uint8 image buffer: loaders write each image straight into its final place. The capacity is a
// good guess (CIFAR-10 has 5 training batches of 10000) so the usual case never reallocates.
// Capacity never exceeds MAX_DATASET_BYTES: a file promising more is refused when its bytes arrive.
import { MAX_DATASET_BYTES } from './limits';
import { formatBytes } from './text';
import { DatasetError, type ImageSet } from './types';

export class ImageAccumulator {
  images: Uint8Array;
  labels: Int32Array;
  count = 0;
  /** Most images that fit in MAX_DATASET_BYTES. */
  readonly maxCount: number;
  /** The file being read, for the message when the limit is reached. */
  file = 'the dataset';

  constructor(
    readonly imageSize: number,
    capacity: number,
  ) {
    this.maxCount = Math.max(1, Math.floor(MAX_DATASET_BYTES / imageSize));
    const cap = Math.min(this.maxCount, Math.max(1, capacity));
    this.images = new Uint8Array(imageSize * cap);
    this.labels = new Int32Array(cap);
  }

  get capacity(): number {
    return this.labels.length;
  }

  /** Makes room for n more images (grows by half again at least, so appends stay amortized O(1)). */
  reserve(n: number): void {
    const need = this.count + n;
    if (need <= this.capacity) return;
    if (need > this.maxCount) {
      throw new DatasetError(
        this.file,
        `holds more than ${this.maxCount} images (${formatBytes(need * this.imageSize)}), more than the ${formatBytes(MAX_DATASET_BYTES)} of images Paperweight keeps in a browser tab; load fewer batches`,
      );
    }
    const cap = Math.min(this.maxCount, Math.max(need, Math.ceil(this.capacity * 1.5)));
    const images = new Uint8Array(cap * this.imageSize);
    images.set(this.images.subarray(0, this.count * this.imageSize));
    const labels = new Int32Array(cap);
    labels.set(this.labels.subarray(0, this.count));
    this.images = images;
    this.labels = labels;
  }

  /** Appends a label and returns the byte offset where that image's pixels go. */
  add(label: number): number {
    this.reserve(1);
    this.labels[this.count] = label;
    return this.count++ * this.imageSize;
  }

  /** The images so far; trims the spare capacity with one copy only if it is there. */
  finish(): ImageSet {
    const n = this.count;
    if (n === this.capacity) return { images: this.images, labels: this.labels, count: n };
    return {
      images: this.images.slice(0, n * this.imageSize),
      labels: this.labels.slice(0, n),
      count: n,
    };
  }
}

export function concatSets(sets: ImageSet[], imageSize: number): ImageSet {
  if (sets.length === 1) return sets[0];
  const count = sets.reduce((a, s) => a + s.count, 0);
  const out = new ImageAccumulator(imageSize, count);
  for (const s of sets) {
    out.images.set(s.images.subarray(0, s.count * imageSize), out.count * imageSize);
    out.labels.set(s.labels.subarray(0, s.count), out.count);
    out.count += s.count;
  }
  return out.finish();
}
