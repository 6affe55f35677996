// Shared by the data tests: fixture files as InputFiles, the pattern the synthetic fixtures follow, the
// refusal every bad-file test expects, and the class names the loaders must give known datasets.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { fromBytes } from '../../src/data/adapters';
import { DatasetError, type ImageSet, type InputFile } from '../../src/data/types';
import { pixel } from '../fixtures/pattern';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, rel)));
}

/** A fixture file as an InputFile named `as` (default its own path), streamed in `chunk`-byte pieces. */
export function fixture(rel: string, as = rel, chunk?: number): InputFile {
  return fromBytes(as, fixtureBytes(rel), chunk);
}

/** Every file under a fixture folder, with paths that start at the folder (as a dropped folder's do). */
export function fixtureDir(rel: string, chunk?: number): InputFile[] {
  const root = join(FIXTURES, rel);
  const out: InputFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else
        out.push(
          fromBytes(
            `${rel.split('/').pop()}/${relative(root, full)}`,
            new Uint8Array(readFileSync(full)),
            chunk,
          ),
        );
    }
  };
  walk(root);
  return out;
}

/**
 * Indices of the pixels that differ from the fixture pattern: image n of the set must be pattern image
 * first + n, stored NHWC with h x w x c.
 */
export function patternMismatches(set: ImageSet, first: number, h: number, w: number, c: number): number[] {
  const bad: number[] = [];
  for (let n = 0; n < set.count; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          const i = ((n * h + y) * w + x) * c + ch;
          if (set.images[i] !== pixel(first + n, y, x, ch)) bad.push(i);
        }
  return bad;
}

export function replaced(files: InputFile[], path: string, bytes: Uint8Array): InputFile[] {
  return files.map((f) => (f.path === path ? fromBytes(path, bytes) : f));
}

/** The DatasetError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function refusal(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DatasetError);
  const message = (e as DatasetError).message;
  // A refusal is read by a person: no control characters or broken UTF-8 from inside a file.
  expect(unprintable(message)).toEqual([]);
  return e as DatasetError;
}

export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** Class names in label order: the loaders' one table (src/data/names.ts), under the names the tests use. */
export { CIFAR10 as CIFAR10_NAMES, FASHION_MNIST as FASHION_NAMES } from '../../src/data/names';

/** The characters of a message a person cannot read: control characters and U+FFFD (broken UTF-8). */
export function unprintable(message: string): string[] {
  return [...message].filter((ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0xfffd;
  });
}
