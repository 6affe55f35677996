// Loads a folder of class subfolders: images are decoded in batches (in workers in the page), converted to
// the target size and colour, and written straight into one preallocated uint8 buffer per split. Images
// that fail to decode are skipped and listed in the notes.
import { browserProcessor } from './browser-processor';
import { type LabeledFile, layoutFolder } from './folder-layout';
import { type BatchItem, type ImageProcessor, inThreadProcessor } from './image-pipeline';
import { MAX_DATASET_BYTES } from './limits';
import { excerpt, formatBytes, nameList } from './text';
import type { InputFile } from './types';
import { type Dataset, DatasetError, type ImageSet, type LoadOptions } from './types';

const BATCH_IMAGES = 48;
const BATCH_BYTES = 8 << 20;
/** Without a target size the first image's is used, but at most this many pixels a side. */
export const MAX_AUTO_SIDE = 512;

/**
 * The size images are converted to when none was asked for: the first image's, shrunk (keeping its aspect)
 * to at most MAX_AUTO_SIDE a side and so that all `count` images fit in MAX_DATASET_BYTES.
 */
export function autoTarget(first: [number, number], count: number, channels: number): [number, number] {
  const [h, w] = first;
  const byBytes = Math.sqrt(MAX_DATASET_BYTES / (Math.max(1, count) * channels * h * w));
  const scale = Math.min(1, MAX_AUTO_SIDE / Math.max(h, w), byBytes);
  return [Math.max(1, Math.floor(h * scale)), Math.max(1, Math.floor(w * scale))];
}

interface Slot {
  file: InputFile;
  label: number;
  split: 0 | 1;
  index: number;
}

function batches(slots: Slot[]): Slot[][] {
  const out: Slot[][] = [];
  let cur: Slot[] = [];
  let bytes = 0;
  for (const s of slots) {
    if (cur.length >= BATCH_IMAGES || (cur.length > 0 && bytes + s.file.size > BATCH_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(s);
    bytes += s.file.size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Writes decoded images into place; compacts away the failures at the end. */
class SplitBuffer {
  images: Uint8Array;
  labels: Int32Array;
  ok: Uint8Array;
  constructor(
    readonly capacity: number,
    readonly imageSize: number,
  ) {
    this.images = new Uint8Array(capacity * imageSize);
    this.labels = new Int32Array(capacity);
    this.ok = new Uint8Array(capacity);
  }
  finish(channelsFrom: number, channelsTo: number): ImageSet {
    let n = 0;
    const pixels = this.imageSize / channelsFrom;
    const out = (this.imageSize / channelsFrom) * channelsTo;
    for (let i = 0; i < this.capacity; i++) {
      if (!this.ok[i]) continue;
      if (channelsTo === channelsFrom) this.images.copyWithin(n * out, i * out, (i + 1) * out);
      else
        for (let p = 0; p < pixels; p++) this.images[n * out + p] = this.images[i * this.imageSize + 3 * p];
      this.labels[n] = this.labels[i];
      n++;
    }
    const images = n * out === this.images.length ? this.images : this.images.slice(0, n * out);
    const labels = n === this.capacity ? this.labels : this.labels.slice(0, n);
    return { images, labels, count: n };
  }
}

function defaultProcessor(name: string): ImageProcessor {
  const p = browserProcessor();
  if (!p) {
    throw new DatasetError(
      name,
      'cannot be decoded here: this environment has no createImageBitmap; pass a decoder',
    );
  }
  return p;
}

export async function loadImageFolder(
  files: InputFile[],
  options: LoadOptions,
  container: string,
  ignoredOther: string[],
): Promise<Dataset> {
  const layout = layoutFolder(files, container);
  const notes = [...layout.notes];
  if (ignoredOther.length) {
    const many = ignoredOther.length > 1;
    const list = nameList(ignoredOther);
    notes.push(
      `Ignored ${ignoredOther.length} file${many ? 's that are not images' : ' that is not an image'}: ${list}`,
    );
  }
  const mode = options.color ?? 'auto';
  const channels: 1 | 3 = mode === 'grayscale' ? 1 : 3;
  const lists: LabeledFile[][] = [layout.train, layout.test ?? []];
  const slots: Slot[] = lists.flatMap((list, split) =>
    list.map((lf, index) => ({ file: lf.file, label: lf.label, split: split as 0 | 1, index })),
  );
  if (options.targetSize) {
    const [th, tw] = options.targetSize;
    const need = slots.length * th * tw * channels;
    if (need > MAX_DATASET_BYTES) {
      throw new DatasetError(
        layout.name,
        `would need ${formatBytes(need)} as ${slots.length} images of ${th}x${tw}x${channels}, more than the ${formatBytes(MAX_DATASET_BYTES)} Paperweight keeps in a browser tab; use a smaller model input size or fewer images`,
      );
    }
  }
  const processor = options.decoder ? inThreadProcessor(options.decoder) : defaultProcessor(layout.name);
  let target = options.targetSize ?? null;
  let buffers: SplitBuffer[] | null = null;
  const failed: string[] = [];
  const sizes = new Map<string, number>();
  let allGray = true;
  let done = 0;
  const total = slots.length;

  const runBatch = async (batch: Slot[]) => {
    const items: BatchItem[] = await Promise.all(
      batch.map(async (s) => ({ name: s.file.path, bytes: await s.file.bytes() })),
    );
    let out = await processor.run(items, target, channels);
    if (!target && out.target) {
      // The first decoded image sets the size, shrunk so the dataset fits; convert it again if it shrank.
      const fitted = autoTarget(out.target, total, channels);
      if (fitted[0] !== out.target[0] || fitted[1] !== out.target[1]) {
        notes.push(
          `The first image is ${out.target[1]}x${out.target[0]}; every image was resized to ${fitted[1]}x${fitted[0]} (without a model input size, images are kept to at most ${MAX_AUTO_SIDE} pixels a side and ${formatBytes(MAX_DATASET_BYTES)} in all). Build the model first to choose the size.`,
        );
        out = await processor.run(items, fitted, channels);
      }
      target = fitted;
    }
    if (target && !buffers)
      buffers = lists.map((l) => new SplitBuffer(l.length, target![0] * target![1] * channels));
    out.results.forEach((r, i) => {
      const s = batch[i];
      if (!r.ok) {
        failed.push(`${excerpt(s.file.path, 80)} (${excerpt(r.reason, 200)})`);
        return;
      }
      const key = `${r.width}x${r.height}`;
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
      allGray &&= r.gray;
      const buf = buffers![s.split];
      buf.images.set(r.pixels, s.index * buf.imageSize);
      buf.labels[s.index] = s.label;
      buf.ok[s.index] = 1;
    });
    done += batch.length;
    options.onProgress?.(done / total, `decoded ${done} of ${total} images`);
  };

  try {
    // Until an image fixes the target size, decode one image at a time: a batch of 48 huge photos at their
    // own size would need gigabytes.
    let probe = 0;
    while (!target && probe < slots.length) await runBatch([slots[probe++]]);
    const queue = batches(slots.slice(probe));
    const running = new Set<Promise<void>>();
    for (const batch of queue) {
      const p = runBatch(batch).finally(() => running.delete(p));
      running.add(p);
      if (running.size >= processor.parallel) await Promise.race(running);
    }
    await Promise.all(running);
  } finally {
    processor.close();
  }

  if (!buffers || !target) {
    throw new DatasetError(
      layout.name,
      `none of its ${total} images could be decoded (${failed[0] ?? 'no images'})`,
    );
  }
  const [h, w] = target;
  const outChannels = mode === 'auto' && allGray ? 1 : channels;
  const [trainBuf, testBuf] = buffers as SplitBuffer[];
  const train = trainBuf.finish(channels, outChannels);
  const test = layout.test ? testBuf.finish(channels, outChannels) : null;
  if (train.count === 0)
    throw new DatasetError(layout.name, `none of its training images could be decoded (${failed[0]})`);
  if (failed.length) {
    notes.push(
      `${failed.length} image${failed.length > 1 ? 's' : ''} failed to decode and ${failed.length > 1 ? 'were' : 'was'} skipped: ${failed.slice(0, 10).join(', ')}${failed.length > 10 ? '...' : ''}`,
    );
  }
  if (sizes.size > 1) {
    const list = [...sizes.keys()].slice(0, 5).join(', ');
    notes.push(
      `The images have ${sizes.size} different sizes (${list}${sizes.size > 5 ? '...' : ''}); all were resized to ${w}x${h}.`,
    );
  } else if (!sizes.has(`${w}x${h}`)) {
    notes.push(`The ${[...sizes.keys()][0]} images were resized to ${w}x${h}.`);
  }
  if (mode === 'auto')
    notes.push(allGray ? 'Every image is grayscale: loaded with 1 channel.' : 'Loaded as RGB (3 channels).');
  return {
    name: layout.name,
    source: container || layout.name,
    height: h,
    width: w,
    channels: outChannels,
    classNames: layout.classNames,
    train,
    test,
    normalization: { kind: 'scale255' },
    notes,
  };
}
