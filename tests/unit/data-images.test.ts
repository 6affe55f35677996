import { describe, expect, it } from 'vitest';
import { fromBytes, fromDataTransferItems } from '../../src/data/adapters';
import { loadDataset } from '../../src/data/load';
import { decodePng } from '../../src/data/png-decoder';
import type { LoadOptions } from '../../src/data/types';
import { shapeImage } from '../fixtures/pattern';
import { encodePng } from '../fixtures/png-encode';
import { fixture, fixtureDir, refusal } from '../helpers/data';

const opts = (o: LoadOptions = {}): LoadOptions => ({ decoder: decodePng, ...o });

/** Image n of a set, HWC. */
function imageOf(images: Uint8Array, n: number, size: number): Uint8Array {
  return images.subarray(n * size, (n + 1) * size);
}

const gray = (w: number, h: number, v: number) => encodePng(w, h, 1, new Uint8Array(w * h).fill(v));

describe('image folders', () => {
  it('loads one subfolder per class, classes sorted, pixels as drawn', async () => {
    const progress: number[] = [];
    const ds = await loadDataset(fixtureDir('images'), opts({ onProgress: (f) => progress.push(f) }));
    expect(ds.name).toBe('images');
    expect(ds.classNames).toEqual(['circle', 'square', 'triangle']);
    expect([ds.height, ds.width, ds.channels]).toEqual([12, 12, 3]);
    expect(ds.train.count).toBe(18);
    expect(ds.test).toBeNull();
    expect(Array.from(ds.train.labels)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    for (let n = 0; n < 18; n++) {
      expect(Array.from(imageOf(ds.train.images, n, 12 * 12 * 3))).toEqual(
        Array.from(shapeImage(Math.floor(n / 6), n % 6)),
      );
    }
    expect(progress.at(-1)).toBe(1);
    expect(ds.notes).toEqual(['Loaded as RGB (3 channels).']);
  });

  it('loads the same from the .zip', async () => {
    const ds = await loadDataset([fixture('images.zip', 'images.zip')], opts());
    expect(ds.name).toBe('images');
    expect(ds.source).toBe('images.zip');
    expect(ds.classNames).toEqual(['circle', 'square', 'triangle']);
    expect(ds.train.count).toBe(18);
    expect(Array.from(imageOf(ds.train.images, 7, 432))).toEqual(Array.from(shapeImage(1, 1)));
  });

  it('uses train/ and test/ at the top as the split', async () => {
    const ds = await loadDataset(fixtureDir('images-split'), opts());
    expect(ds.classNames).toEqual(['circle', 'square']);
    expect(ds.train.count).toBe(8);
    expect(ds.test?.count).toBe(4);
    expect(Array.from(ds.test!.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(imageOf(ds.test!.images, 2, 432))).toEqual(Array.from(shapeImage(1, 4)));
  });

  it('resizes to the target size and converts to grayscale (ITU-R 601 luma)', async () => {
    const ds = await loadDataset(fixtureDir('images'), opts({ targetSize: [6, 6], color: 'grayscale' }));
    expect([ds.height, ds.width, ds.channels]).toEqual([6, 6, 1]);
    expect(ds.train.images.length).toBe(18 * 36);
    // Output pixel (0, 0) averages the 2x2 source block at the top-left corner of square_0.
    const src = shapeImage(1, 0);
    let sum = 0;
    for (const [y, x] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]) {
      const o = (y * 12 + x) * 3;
      sum += 0.299 * src[o] + 0.587 * src[o + 1] + 0.114 * src[o + 2];
    }
    expect(ds.train.images[6 * 36]).toBe(Math.round(sum / 4));
    expect(ds.notes.join(' ')).toMatch(/The 12x12 images were resized to 6x6/);
  });

  it('loads a messy folder: skips what fails to decode, resizes mixed sizes, notes both', async () => {
    const ds = await loadDataset(fixtureDir('images-messy'), opts());
    expect(ds.classNames).toEqual(['cats', 'dogs']);
    expect(ds.train.count).toBe(7);
    // broken.png sorts first and fails, so cat_0.png (12x12) sets the size.
    expect([ds.height, ds.width, ds.channels]).toEqual([12, 12, 3]);
    const notes = ds.notes.join('\n');
    expect(notes).toMatch(/1 image failed to decode and was skipped: images-messy\/cats\/broken\.png \(/);
    expect(notes).toMatch(/3 different sizes \(12x12, 16x16, 10x14\); all were resized to 12x12/);
    expect(notes).toMatch(/Ignored 1 file that is not an image: images-messy\/notes\.txt/);
    expect(Array.from(ds.train.labels)).toEqual([0, 0, 0, 0, 1, 1, 1]);
  });

  it('loads all-gray images with one channel unless RGB is asked for', async () => {
    const files = [
      fromBytes('digits/a/1.png', gray(4, 4, 10)),
      fromBytes('digits/a/2.png', gray(4, 4, 20)),
      fromBytes('digits/b/1.png', gray(4, 4, 200)),
    ];
    const ds = await loadDataset(files, opts());
    expect(ds.channels).toBe(1);
    expect(Array.from(ds.train.images.subarray(16, 20))).toEqual([20, 20, 20, 20]);
    const rgb = await loadDataset(files, opts({ color: 'rgb' }));
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.train.images.subarray(2 * 48, 2 * 48 + 3))).toEqual([200, 200, 200]);
  });

  it('refuses a folder with one class', async () => {
    const files = fixtureDir('images').filter((f) => f.path.includes('/circle/'));
    const e = await refusal(loadDataset(files, opts()));
    expect(e.message).toBe(
      'images: has only one class folder (circle); a classifier needs at least two subfolders, one per class',
    );
  });

  it('refuses images that are not in class folders', async () => {
    const e = await refusal(
      loadDataset([fromBytes('a.png', gray(2, 2, 1)), fromBytes('b.png', gray(2, 2, 1))], opts()),
    );
    expect(e.reason).toMatch(/^has images but no class folders/);
  });

  it('refuses an empty folder: nothing dropped, only litter, or an empty directory entry', async () => {
    let e = await refusal(loadDataset([], opts()));
    expect(e.message).toBe('the chosen folder: is empty: no files arrived');
    e = await refusal(loadDataset([fromBytes('holiday/.DS_Store', new Uint8Array(4))], opts()));
    expect(e.message).toBe('holiday: is empty: no images or dataset files in it (only .DS_Store)');
    const emptyDir = {
      isFile: false,
      isDirectory: true,
      name: 'holiday',
      fullPath: '/holiday',
      createReader: () => ({ readEntries: (ok: (e: unknown[]) => void) => ok([]) }),
    };
    const item = { kind: 'file', webkitGetAsEntry: () => emptyDir, getAsFile: () => null };
    e = await refusal(fromDataTransferItems([item as unknown as DataTransferItem]));
    expect(e.message).toBe('holiday: the folder is empty');
  });

  it('refuses a folder where no image decodes', async () => {
    const junk = new TextEncoder().encode('not an image');
    const files = [fromBytes('x/a/1.png', junk), fromBytes('x/b/1.png', junk)];
    const e = await refusal(loadDataset(files, opts()));
    expect(e.message).toMatch(/^x: none of its 2 images could be decoded \(x\/a\/1\.png \(/);
  });
});
