// The hostile and broken files of issue 12, one named test per class: each used to hang the tab, crash with
// engine text or be silently accepted. Every one must now be refused with a DatasetError that names the
// file, says what is wrong in plain words and what to do. The fuzz test (fuzz-data.test.ts) keeps it so.
import { describe, expect, it, vi } from 'vitest';
import { decodePng, fromBytes, loadDataset } from '../../src/data';
import type { InputFile } from '../../src/data/types';
import { hugeFirstImageFolder, manyEntryZip, pngBomb } from '../fixtures/hostile';
import { fixtureDir, refusal } from '../helpers/data';

const hostile = (name: string) => fixtureDir(`bad/hostile/${name}`);
const refused = (files: InputFile[]) => refusal(loadDataset(files, { decoder: decodePng }));

/** The one-file fixture `name` is smaller than `under` bytes and is refused with exactly `message`. */
async function expectSmallRefused(name: string, under: number, message: string) {
  const [file] = hostile(name);
  expect(file.size).toBeLessThan(under);
  expect((await refused([file])).message).toBe(message);
}

describe('tar member sizes (used to hang: the reader moved backwards)', () => {
  it('refuses a negative, a non-octal and a 2^60 size field, naming the member', async () => {
    for (const dir of ['tar-size-negative', 'tar-size-zz', 'tar-size-base256-huge']) {
      const e = await refused(hostile(dir));
      expect(e.file).toBe('cifar-10-binary.tar');
      expect(e.reason).toMatch(
        /^is corrupt: the tar header of cifar-10-batches-bin\/data_batch_1\.bin has a size that is not a real byte count \('.{1,60}'\); download it again$/,
      );
    }
    expect((await refused(hostile('tar-size-zz'))).reason).toContain("('zz')");
  });

  it('refuses an 8 GiB size field before allocating for it', async () => {
    const e = await refused(hostile('tar-size-huge'));
    // The size field is octal 77777777777 (8 GiB - 1); a CIFAR-10 record is 1 + 3072 bytes.
    const records = Math.floor(0o77777777777 / 3073);
    expect(e.message).toBe(
      `data_batch_1.bin: is 8.00 GiB (${records} images), more than the 1.00 GiB of images Paperweight keeps in a browser tab; load fewer batches`,
    );
  });

  it('refuses a tar whose only batch is empty', async () => {
    const e = await refused(hostile('tar-empty-batch'));
    expect(e.message).toBe(
      'data_batch_1.bin: is an empty CIFAR batch (it holds no images); download the dataset again',
    );
  });
});

describe('zip directories (used to loop on the page thread)', () => {
  it('refuses a 1 KB zip64 end record claiming 2^31 entries from its directory size', async () => {
    await expectSmallRefused(
      'zip64-entries',
      1100,
      'huge-directory.zip: is a damaged zip archive (its directory claims 2147483648 files but has room for at most 17); download it again or zip the files again',
    );
  });

  it('reads every entry of a 100,000-entry zip (past the 16-bit count) and refuses the one-byte images', async () => {
    const e = await refused([fromBytes('many.zip', manyEntryZip(100_000))]);
    expect(e.message).toMatch(
      /^many: none of its 100000 images could be decoded \(many\/a\/0\.png \(is not a PNG file\)\)$/,
    );
    const more = await refused([fromBytes('more.zip', manyEntryZip(100_001))]);
    expect(more.message).toMatch(
      /^more\.zip: holds more than 100000 files, more than the 100000 Paperweight unpacks/,
    );
  });
});

describe('pickles (used to expand 2^40 leaves or overflow the stack)', () => {
  it('refuses one list reused 40 levels deep in a 700-byte batches.meta', async () => {
    await expectSmallRefused(
      'pickle-memo-reuse',
      800,
      'batches.meta: expands to more than 10000000 values (one list reused over and over), so it is not a CIFAR batch',
    );
  });

  it('refuses lists nested 100,000 deep', async () => {
    const e = await refused(hostile('pickle-deep'));
    expect(e.message).toBe('batches.meta: nests lists more than 32 levels deep, so it is not a CIFAR batch');
  });

  it('refuses a string claiming 2^40 bytes and a 300-character class name', async () => {
    expect((await refused(hostile('pickle-huge-string'))).message).toBe(
      'data_batch_1: truncated: the pickle ends unexpectedly at byte 20; download the file again',
    );
    expect((await refused(hostile('pickle-long-name'))).message).toBe(
      "batches.meta: 'label_names' holds a name of 300 characters at position 0; it must list class names",
    );
  });
});

describe('PNG decompression bombs', () => {
  it('stops inflating an 8x8 PNG at 8x8 worth of pixels', async () => {
    const bomb = pngBomb(256);
    expect(bomb.length).toBeLessThan(300_000);
    await expect(decodePng(bomb, 'bomb.png')).rejects.toThrow(
      'bomb.png holds more pixel data than its 8x8 size needs (a decompression bomb or a damaged file)',
    );
    const e = await refused([fromBytes('bomb/a/x.png', bomb), fromBytes('bomb/b/y.png', bomb)]);
    expect(e.message).toContain('none of its 2 images could be decoded (bomb/a/x.png (holds more pixel data');
  });
});

describe('allocation from promised sizes', () => {
  it('refuses a loose CIFAR batch whose size promises more than 1 GiB, before reading it', async () => {
    const stream = vi.fn();
    const liar: InputFile = {
      path: 'data_batch_1.bin',
      size: 3 * 2 ** 30,
      stream,
      bytes: async () => new Uint8Array(0),
    };
    stream.mockImplementation(() => fromBytes('x', new Uint8Array(3073 * 2)).stream());
    const e = await refused([liar]);
    expect(e.message).toMatch(/^data_batch_1\.bin: is 3\.00 GiB \(1048234 images\), more than the 1\.00 GiB/);
  });

  it('sizes an image folder without a target size so a huge first image cannot blow it up, and says so', async () => {
    const files = hugeFirstImageFolder(1200).map((f) => fromBytes(f.path, f.bytes));
    const ds = await loadDataset(files, { decoder: decodePng });
    expect(ds.train.count).toBe(41);
    expect([ds.height, ds.width]).toEqual([512, 512]);
    expect(ds.train.images.length).toBe(41 * 512 * 512);
    expect(ds.notes[0]).toBe(
      'The first image is 1200x1200; every image was resized to 512x512 (without a model input size, images are kept to at most 512 pixels a side and 1.00 GiB in all). Build the model first to choose the size.',
    );
  });

  it('refuses a target size that would need more than 1 GiB for the folder', async () => {
    const files = hugeFirstImageFolder(16).map((f) => fromBytes(f.path, f.bytes));
    const e = await refusal(loadDataset(files, { decoder: decodePng, targetSize: [4096, 4096] }));
    const gib = ((41 * 4096 * 4096 * 3) / 2 ** 30).toFixed(2);
    expect(e.message).toMatch(new RegExp(`^photos: would need ${gib} GiB as 41 images of 4096x4096x3`));
  });
});

describe('labels that must not be silently changed', () => {
  it('refuses pickle labels beyond int32, fractional or infinite', async () => {
    for (const [dir, shown] of [
      ['label-long1', '4294967299'],
      ['label-float', '3.7'],
      ['label-infinity', 'Infinity'],
    ]) {
      expect((await refused(hostile(dir))).message).toBe(
        `data_batch_1: 'labels' holds ${shown} at index 1; labels must be whole numbers from 0 (class indices)`,
      );
    }
  });

  it('refuses int64 and uint64 npz labels that int32 would wrap, and a label past the classes', async () => {
    expect((await refused(hostile('npz-int64-label'))).message).toBe(
      'labels.npz/y_train: holds 1099511627777 at index 1; labels must be whole numbers from 0 (class indices)',
    );
    expect((await refused(hostile('npz-u8-label'))).message).toMatch(
      /^labels\.npz\/y_train: holds 18446744073709552000 at index 1;/,
    );
    expect((await refused(hostile('npz-label-range'))).message).toBe(
      'mnist.npz/y_train: label 10 of image 1 is out of range: MNIST has 10 classes, labels 0-9',
    );
  });
});

describe('empty datasets and impossible arrays', () => {
  it('refuses an IDX file of 0 images, a pickle of shape (0, 3072) and an npz of (0, 8, 8)', async () => {
    expect((await refused(hostile('idx-empty'))).message).toBe(
      'train-images-idx3-ubyte: is empty: its header says it holds 0 images; download the file again',
    );
    expect((await refused(hostile('pickle-empty'))).message).toBe(
      'data_batch_1: is an empty CIFAR batch (it holds no images); download the dataset again',
    );
    expect((await refused(hostile('npz-empty'))).message).toBe(
      'empty.npz/x_train: is empty: its shape (0, 8, 8) holds no values',
    );
  });

  it('refuses a negative npy dimension and the dtype <valueOf', async () => {
    expect((await refused(hostile('npz-negative'))).message).toBe(
      'negative.npz/x_train: has the shape (-1, 8, 8) in its .npy header; sizes must be whole numbers from 0, so the file is damaged',
    );
    expect((await refused(hostile('npz-valueof'))).message).toBe(
      "dtype.npz/x_train: holds an array of type '<valueOf'; only plain numbers (uint8, int, float) can be loaded",
    );
  });

  it('refuses NaN and Infinity pixels in a float npz instead of making them 0', async () => {
    expect((await refused(hostile('npz-nan'))).message).toMatch(
      /^float\.npz\/x_train: holds NaN in image 0;/,
    );
    expect((await refused(hostile('npz-inf'))).message).toMatch(
      /^float\.npz\/x_train: holds Infinity in image 1;/,
    );
  });
});
