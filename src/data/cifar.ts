// Collects the batches of a CIFAR-10/100 download (loose files, a dropped folder or the .tar.gz, binary or
// Python version) into one Dataset. Images go straight into one preallocated NHWC buffer per split, sized
// from the first batch (CIFAR-10 has 5 training batches of 10000).
import { ImageAccumulator } from './accumulate';
import { CIFAR_IMAGE, CifarRecordWriter, planarToHwc } from './cifar-binary';
import type { CifarRole, Variant } from './cifar-files';
import { readCifarBatch, readCifarMeta } from './cifar-pickle';
import { MAX_DATASET_BYTES } from './limits';
import { CIFAR10, numberedNames } from './names';
import { formatBytes } from './text';
import { type Dataset, DatasetError, type ImageSet } from './types';

type BatchRole = Extract<CifarRole, { kind: 'batch' }>;
interface Block {
  order: number;
  start: number;
  count: number;
}
interface Split {
  acc: ImageAccumulator | null;
  blocks: Block[];
}

const NAME: Record<Variant, string> = { 10: 'CIFAR-10', 100: 'CIFAR-100' };
const USUAL_SPLIT = 50_000;

/** Puts equal-sized blocks (batches) into batch order in place, with one block of scratch space. */
function sortBlocks(acc: ImageAccumulator, blocks: Block[]): boolean {
  const ranked = [...blocks].sort((a, b) => a.order - b.order);
  if (ranked.every((b, i) => b === blocks[i])) return true;
  const size = blocks[0].count;
  if (!blocks.every((b) => b.count === size)) return false;
  const px = size * acc.imageSize;
  // src[p] = arrival index of the block that belongs at position p.
  const src = ranked.map((b) => blocks.indexOf(b));
  const done = new Uint8Array(blocks.length);
  const tmpImages = new Uint8Array(px);
  const tmpLabels = new Int32Array(size);
  for (let p = 0; p < src.length; p++) {
    if (done[p] || src[p] === p) continue;
    tmpImages.set(acc.images.subarray(p * px, (p + 1) * px));
    tmpLabels.set(acc.labels.subarray(p * size, (p + 1) * size));
    let j = p;
    while (src[j] !== p) {
      const k = src[j];
      acc.images.copyWithin(j * px, k * px, (k + 1) * px);
      acc.labels.copyWithin(j * size, k * size, (k + 1) * size);
      done[j] = 1;
      j = k;
    }
    acc.images.set(tmpImages, j * px);
    acc.labels.set(tmpLabels, j * size);
    done[j] = 1;
  }
  return true;
}

function emptyBatch(file: string): DatasetError {
  return new DatasetError(file, 'is an empty CIFAR batch (it holds no images); download the dataset again');
}

export class CifarCollector {
  private variant: Variant | null = null;
  private readonly splits: Record<'train' | 'test', Split> = {
    train: { acc: null, blocks: [] },
    test: { acc: null, blocks: [] },
  };
  private names: string[] | null = null;
  private namesFile = '';
  private readonly seen = new Map<string, string>();
  readonly notes: string[] = [];

  private claim(role: CifarRole & { variant: Variant }, file: string): void {
    if (this.variant !== null && this.variant !== role.variant) {
      throw new DatasetError(
        file,
        `is a ${NAME[role.variant]} file but ${NAME[this.variant]} files came with it; load one dataset at a time`,
      );
    }
    this.variant = role.variant;
    const key = role.kind === 'batch' ? `${role.split}:${role.order}` : 'meta';
    const before = this.seen.get(key);
    if (before)
      throw new DatasetError(file, `duplicates ${before} (both are the same part of ${NAME[role.variant]})`);
    this.seen.set(key, file);
  }

  private accumulator(role: BatchRole, expected: number, file: string): ImageAccumulator {
    const split = this.splits[role.split];
    // CIFAR-10 ships 5 training batches of 10,000; guess that so the usual case never reallocates. The guess
    // is capped at CIFAR-10's 50,000 (a size field can promise anything): more grows as records arrive.
    if (!split.acc) {
      const guess = Math.min(role.order > 0 ? expected * 5 : expected, USUAL_SPLIT);
      split.acc = new ImageAccumulator(CIFAR_IMAGE, guess);
    }
    split.acc.file = file;
    return split.acc;
  }

  /** Streams one binary batch (size known up front) through `next` into its split. */
  async addBinary(role: BatchRole, file: string, size: number, next: () => Promise<Uint8Array | null>) {
    this.claim(role, file);
    const labelBytes = role.variant === 10 ? 1 : 2;
    const expected = Math.floor(size / (labelBytes + CIFAR_IMAGE));
    const acc = this.accumulator(role, expected, file);
    if (expected + acc.count > acc.maxCount) {
      throw new DatasetError(
        file,
        `is ${formatBytes(size)} (${expected} images), more than the ${formatBytes(MAX_DATASET_BYTES)} of images Paperweight keeps in a browser tab; load fewer batches`,
      );
    }
    const start = acc.count;
    const writer = new CifarRecordWriter(acc, labelBytes, role.variant, NAME[role.variant], file);
    for (let c = await next(); c; c = await next()) writer.push(c);
    writer.finish(size % writer.recordSize === 0 ? expected : undefined);
    if (acc.count === start) throw emptyBatch(file);
    this.splits[role.split].blocks.push({ order: role.order, start, count: acc.count - start });
  }

  /** One Python batch: the whole pickle in memory (about 31 MB for a CIFAR-10 batch). */
  addPickle(role: BatchRole, file: string, bytes: Uint8Array): void {
    this.claim(role, file);
    const batch = readCifarBatch(bytes, file, role.variant);
    if (batch.count === 0) throw emptyBatch(file);
    const acc = this.accumulator(role, batch.count, file);
    const start = acc.count;
    acc.reserve(batch.count);
    const classes = role.variant;
    for (let i = 0; i < batch.count; i++) {
      const label = batch.labels[i];
      if (!(label >= 0 && label < classes)) {
        throw new DatasetError(
          file,
          `label ${label} of image ${i} is out of range: ${NAME[role.variant]} has ${classes} classes, labels 0-${classes - 1}`,
        );
      }
      planarToHwc(batch.data, i * CIFAR_IMAGE, acc.images, acc.add(label));
    }
    this.splits[role.split].blocks.push({ order: role.order, start, count: batch.count });
  }

  setMeta(
    role: Extract<CifarRole, { kind: 'meta' }>,
    file: string,
    bytes: Uint8Array,
    text: string[] | null,
  ) {
    this.claim(role, file);
    this.names = text ?? readCifarMeta(bytes, file, role.variant);
    this.namesFile = file;
  }

  private finishSplit(which: 'train' | 'test'): ImageSet | null {
    const split = this.splits[which];
    if (!split.acc) return null;
    if (!sortBlocks(split.acc, split.blocks)) {
      this.notes.push(`The ${which} batches differ in size, so they are kept in the order they arrived.`);
    }
    return split.acc.finish();
  }

  finish(source: string): Dataset {
    const variant = this.variant;
    let train = this.finishSplit('train');
    let test = this.finishSplit('test');
    if (variant === null || (!train && !test)) {
      throw new DatasetError(source, 'holds no CIFAR image batches (only metadata)');
    }
    if (!train) {
      this.notes.push('Only the test batch was dropped: it is used as the training set.');
      train = test;
      test = null;
    }
    let classNames = this.names;
    if (classNames) {
      for (const set of [train, test]) {
        if (!set) continue;
        for (let i = 0; i < set.count; i++) {
          if (set.labels[i] >= classNames.length) {
            throw new DatasetError(
              this.namesFile,
              `names ${classNames.length} classes but the batches use label ${set.labels[i]}; it must name ${variant}`,
            );
          }
        }
      }
    } else {
      classNames = variant === 10 ? CIFAR10 : numberedNames(100);
      if (variant === 100) this.notes.push('No meta file came with the batches: classes are numbered 0-99.');
    }
    return {
      name: NAME[variant],
      source,
      height: 32,
      width: 32,
      channels: 3,
      classNames,
      train: train!,
      test,
      normalization: { kind: 'scale255' },
      notes: this.notes,
    };
  }
}
