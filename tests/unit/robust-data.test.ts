// The bad-input corpus (tests/fixtures/bad, from generate-bad.ts) against the data engine directly: every
// file is refused with a message naming it and the reason, nothing huge is allocated or inflated, nothing
// in a pickle runs, and a folder of 10,000 tiny images loads with progress.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodePng, fromBytes, loadDataset } from '../../src/data';
import { imageDimensions, refuseBeforeDecoding } from '../../src/data/image-header';
import { inflateCapped } from '../../src/data/inflate';
import type { InputFile } from '../../src/data/types';
import { MAX_UNZIPPED_BYTES } from '../../src/data/zip';
import { writeTinyImageFolder, zipBomb } from '../fixtures/generate-bad';
import { fixture, fixtureDir, refusal } from '../helpers/data';

// Every inflate goes through this spy, so "refused before inflating" is counted, not timed.
vi.mock('../../src/data/inflate', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/data/inflate')>();
  return { ...real, inflateCapped: vi.fn(real.inflateCapped) };
});

/** Loads with the Node PNG decoder and returns the refusal. */
const refused = (files: InputFile[]) => refusal(loadDataset(files, { decoder: vi.fn(decodePng) }));

describe('bad-input corpus', () => {
  it('refuses truncated and corrupted IDX files by name and reason', async () => {
    const cut = await refused(fixtureDir('bad/idx-truncated'));
    expect(cut.message).toBe(
      'train-images-idx3-ubyte: truncated: the header says 20 images of 28x28 but the file holds 3',
    );
    const float = await refused(fixtureDir('bad/idx-corrupt'));
    expect(float.message).toContain('train-images-idx3-ubyte: holds IDX values of float32');
    const gz = await refused(fixtureDir('bad/idx-gz-truncated'));
    expect(gz.message).toMatch(/^train-images-idx3-ubyte\.gz: the gzip data is cut short or corrupt/);
  });

  it('refuses an IDX header claiming 4 billion images without allocating them', async () => {
    const e = await refused(fixtureDir('bad/idx-huge-header'));
    // A RangeError ("Invalid typed array length") or an out-of-memory crash without the check.
    expect(e.message).toBe(
      'train-images-idx3-ubyte: truncated: the header says 4000000000 images of 28x28 but the file holds 2',
    );
  });

  it('refuses truncated and corrupted CIFAR batches', async () => {
    const cut = await refused(fixtureDir('bad/cifar-truncated'));
    expect(cut.message).toMatch(/^data_batch_1\.bin: truncated: .*3073 bytes.*holds 2 and 1000 bytes/);
    const labels = await refused(fixtureDir('bad/cifar-corrupt'));
    expect(labels.message).toContain('label 200 of image 1 is out of range');
  });

  it('refuses truncated and corrupted .npz files', async () => {
    const cut = await refused([fixture('bad/npz/truncated.npz', 'truncated.npz')]);
    expect(cut.message).toMatch(/^truncated\.npz: is not a readable zip archive/);
    const header = await refused([fixture('bad/npz/corrupt-header.npz', 'corrupt-header.npz')]);
    expect(header.message).toMatch(/^corrupt-header\.npz\/x_train: has an unreadable \.npy header/);
    const short = await refused([fixture('bad/npz/short-array.npz', 'short-array.npz')]);
    expect(short.message).toContain(
      'the header says shape (1000, 28, 28) but the file holds 8 of the 1000 rows',
    );
  });

  it('refuses the zip bomb from its declared sizes, before inflating anything', async () => {
    const bytes = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bad', 'zip-bomb.zip'));
    expect(bytes.length).toBeLessThan(100_000);
    // Inflating the 64 entries would take 4 GiB and many seconds; the refusal reads only the directory.
    vi.mocked(inflateCapped).mockClear();
    const e = await refused([fromBytes('zip-bomb.zip', new Uint8Array(bytes))]);
    expect(inflateCapped).not.toHaveBeenCalled();
    expect(e.message).toMatch(/^zip-bomb\.zip: would unpack to 4\.00 GiB \(64 entries/);
    expect(e.message).toContain('refused before unpacking');
    // A bomb as .npz takes the same door.
    const npz = await refused([fromBytes('weights.npz', zipBomb(20, 64))]);
    expect(npz.message).toMatch(/^weights\.npz: would unpack to 1\.25 GiB/);
    // Just under the limit is not a bomb: it gets as far as reading the entries.
    const fine = await refused([fromBytes('ok.zip', zipBomb(1, 1))]);
    expect(fine.message).not.toContain('would unpack');
    expect(inflateCapped).toHaveBeenCalledTimes(1);
    expect(MAX_UNZIPPED_BYTES).toBe(1 << 30);
  });

  it('refuses pickles that ask for os.system, subprocess.Popen or builtins.eval, and runs none', async () => {
    const marker = '/tmp/paperweight-pwned';
    rmSync(marker, { force: true });
    for (const [dir, what] of [
      ['os-system', 'os.system'],
      ['subprocess', 'subprocess.Popen'],
      ['builtins-eval', 'builtins.eval'],
    ]) {
      const e = await refused(fixtureDir(`bad/pickles/${dir}`));
      expect(e.message).toContain(`refused: the pickle asks for ${what}`);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('names files whose extension lies, and reads images by their bytes', async () => {
    const e = await refused(fixtureDir('bad/wrong-ext'));
    expect(e.message).toMatch(/^wrong-ext: none of its 4 images could be decoded \(wrong-ext\/cats\/1\.png/);
    const d = await loadDataset(fixtureDir('bad/misnamed'), { decoder: decodePng });
    expect(d.train.count).toBe(4);
    expect(d.classNames).toEqual(['cats', 'dogs']);
  });

  it('refuses a 20000x20000 PNG header before decoding it', async () => {
    const files = fixtureDir('bad/huge-png');
    const decoder = vi.fn(decodePng);
    await expect(loadDataset(files, { decoder })).rejects.toThrow(
      /^huge-png: none of its 2 images could be decoded \(huge-png\/big\/huge\.png \(its header says 20000x20000 pixels/,
    );
    expect(decoder).not.toHaveBeenCalled();
    // Next to good images it is skipped with a note, and the rest loads.
    const mixed = vi.fn(decodePng);
    const d = await loadDataset(fixtureDir('bad/huge-png-mixed'), { decoder: mixed });
    expect(d.train.count).toBe(2);
    expect(d.notes.join(' ')).toContain('huge-png-mixed/a/huge.png (its header says 20000x20000 pixels');
    expect(mixed.mock.calls.map((c) => c[1]).sort()).toEqual([
      'huge-png-mixed/a/ok.png',
      'huge-png-mixed/b/ok.png',
    ]);
    expect(
      imageDimensions(
        new Uint8Array(
          readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bad', 'huge-png', 'big', 'huge.png')),
        ),
      ),
    ).toEqual([20000, 20000]);
  });

  it('reads width and height from GIF, BMP and JPEG headers too', () => {
    const gif = new Uint8Array([...Buffer.from('GIF89a'), 0x20, 0x4e, 0x20, 0x4e]);
    expect(imageDimensions(gif)).toEqual([20000, 20000]);
    const bmp = new Uint8Array(26);
    bmp.set(Buffer.from('BM'));
    new DataView(bmp.buffer).setInt32(18, 30000, true);
    new DataView(bmp.buffer).setInt32(22, -30000, true); // top-down
    expect(refuseBeforeDecoding(bmp)).toContain('30000x30000');
    // SOI, an APP0 segment, then SOF0 with height 10000 and width 8000.
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x27, 0x10, 0x1f, 0x40, 1, 0, 0, 0,
    ]);
    expect(imageDimensions(jpeg)).toEqual([8000, 10000]);
    expect(refuseBeforeDecoding(jpeg)).toContain('8000x10000');
  });

  it('refuses empty files by name', async () => {
    for (const name of [
      'train-images-idx3-ubyte',
      'data_batch_1.bin',
      'mnist.npz',
      'blank.png',
      'notes.txt',
    ]) {
      const e = await refused([fixture(`bad/empty/${name}`, name)]);
      expect(e.message).toBe(
        `${name}: is empty (0 bytes): the download or copy probably failed; get the file again`,
      );
    }
  });
});

describe('a folder of 10,000 tiny images', () => {
  let dir = '';
  // Writing 10,000 files takes a while on a busy disk.
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pw-tiny-'));
    writeTinyImageFolder(join(dir, 'tiny'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads all of them with progress along the way', async () => {
    const files: InputFile[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const full = join(d, n);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(fromBytes(relative(dir, full), new Uint8Array(readFileSync(full))));
      }
    };
    walk(join(dir, 'tiny'));
    expect(files.length).toBe(10_000);
    const fractions: number[] = [];
    const d = await loadDataset(files, { decoder: decodePng, onProgress: (f) => fractions.push(f) });
    expect(d.train.count).toBe(10_000);
    expect(d.classNames).toEqual(['even', 'odd']);
    expect([d.height, d.width, d.channels]).toEqual([4, 4, 1]);
    // Progress is reported per batch, not only at the end, and never goes backwards.
    expect(fractions.length).toBeGreaterThan(100);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions[fractions.length - 1]).toBe(1);
  });
});
