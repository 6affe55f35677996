// The batches every contender trains on: the same samples in the same order. MNIST is the real thing: the
// first images of the training IDX files in public/data/mnist, read directly (gunzipped by the browser), then
// zero-padded 28x28 -> 32x32 as LeCun did, so all contenders get identical 32x32 input;
// the CIFAR models use generated CIFAR-like images (no CIFAR-10 download here): ten classes, each a smooth
// random colour pattern, shifted and noised per sample, so the loss can fall within a few steps.
import { Rng } from '../../src/model';
import type { BenchModel } from './models';

export interface BenchData {
  height: number;
  width: number;
  channels: number;
  batch: number;
  batchCount: number;
  /** batchCount * batch samples, uint8 NHWC, batch after batch. */
  images: Uint8Array;
  labels: Int32Array;
  classes: number;
}

export async function benchData(model: BenchModel, batchCount: number, seed: number): Promise<BenchData> {
  const n = model.batch * batchCount;
  if (model.data === 'mnist') {
    const images = await idx('/data/mnist/train-images-idx3-ubyte.gz', 16, n * 28 * 28);
    const labels = await idx('/data/mnist/train-labels-idx1-ubyte.gz', 8, n);
    return {
      height: 32,
      width: 32,
      channels: 1,
      batch: model.batch,
      batchCount,
      images: padImages(images, n, 28, 2),
      labels: Int32Array.from(labels),
      classes: 10,
    };
  }
  return { ...syntheticCifar(n, seed), batch: model.batch, batchCount };
}

/** `bytes` bytes after the `header` of an IDX file served gzipped (gunzipped here unless the server did). */
async function idx(url: string, header: number, bytes: number): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}; \`npm run bench\` prepares public/data/mnist`);
  let raw = new Uint8Array(await res.arrayBuffer());
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
    raw = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  if (raw.length < header + bytes) throw new Error(`${url}: ${raw.length} bytes, need ${header + bytes}`);
  return raw.slice(header, header + bytes);
}

/** Zero-pads n square single-channel images of side `side` by `pad` pixels on every edge. */
export function padImages(src: Uint8Array, n: number, side: number, pad: number): Uint8Array {
  const out = side + 2 * pad;
  const dst = new Uint8Array(n * out * out);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < side; y++) {
      const from = (i * side + y) * side;
      dst.set(src.subarray(from, from + side), (i * out + y + pad) * out + pad);
    }
  }
  return dst;
}

export function syntheticCifar(n: number, seed: number) {
  const rng = new Rng(seed);
  const H = 32;
  const C = 3;
  // A class template: a sum of three low-frequency plane waves per channel.
  const templates = Array.from({ length: 10 }, () => {
    const t = new Float32Array(H * H * C);
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < 3; k++) {
        const fx = rng.uniform(-0.4, 0.4);
        const fy = rng.uniform(-0.4, 0.4);
        const ph = rng.uniform(0, 2 * Math.PI);
        const amp = rng.uniform(30, 60);
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < H; x++) t[(y * H + x) * C + c] += amp * Math.sin(fx * x + fy * y + ph);
        }
      }
    }
    return t;
  });
  const images = new Uint8Array(n * H * H * C);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = Math.floor(rng.next() * 10);
    labels[i] = label;
    const t = templates[label];
    const dx = Math.floor(rng.next() * 5) - 2;
    const dy = Math.floor(rng.next() * 5) - 2;
    const base = rng.uniform(96, 160);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < H; x++) {
        const sy = Math.min(H - 1, Math.max(0, y + dy));
        const sx = Math.min(H - 1, Math.max(0, x + dx));
        for (let c = 0; c < C; c++) {
          const v = base + t[(sy * H + sx) * C + c] + rng.normal() * 20;
          images[((i * H + y) * H + x) * C + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
  }
  return { height: H, width: H, channels: C, images, labels, classes: 10 };
}

/** Batch i as float32 NHWC in [0, 1] (Keras-style /255), for the contenders that take float input. */
export function floatBatch(d: BenchData, i: number): Float32Array<ArrayBuffer> {
  const size = d.batch * d.height * d.width * d.channels;
  const src = d.images.subarray(i * size, (i + 1) * size);
  const out = new Float32Array(size);
  for (let j = 0; j < size; j++) out[j] = src[j] / 255;
  return out;
}

export function labelBatch(d: BenchData, i: number): Int32Array {
  return d.labels.subarray(i * d.batch, (i + 1) * d.batch);
}

export function oneHot(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((l, r) => {
    out[r * classes + l] = 1;
  });
  return out;
}
