import { describe, expect, it } from 'vitest';
import { fromBytes } from '../../src/data/adapters';
import { loadDataset } from '../../src/data/load';
import { readPickle } from '../../src/data/pickle';
import { label10, label100, TEST_OFFSET } from '../fixtures/pattern';
import {
  CIFAR10_NAMES,
  fixture,
  fixtureBytes,
  fixtureDir,
  patternMismatches,
  range,
  refusal,
} from '../helpers/data';

/** Where the labels list of a fixture batch ends: EMPTY_LIST, BINPUT 4, MARK, 6 x (BININT1 v), APPENDS. */
function labelsAppends(bytes: Uint8Array): number {
  const start = Buffer.from(bytes).indexOf(Buffer.from([0x5d, 0x71, 0x04, 0x28]));
  const at = start + 4 + 2 * 6;
  expect(bytes[at]).toBe(0x65);
  return at;
}

describe('CIFAR-10 Python version (pickles)', () => {
  it('loads cifar-10-python.tar.gz: Python 2 pickles in the real archive order, put back in batch order', async () => {
    const ds = await loadDataset([fixture('cifar-10-python.tar.gz', 'cifar-10-python.tar.gz', 4096)]);
    expect(ds.name).toBe('CIFAR-10');
    expect(ds.classNames).toEqual(CIFAR10_NAMES);
    expect([ds.height, ds.width, ds.channels]).toEqual([32, 32, 3]);
    expect(ds.train.count).toBe(30);
    expect(ds.test?.count).toBe(5);
    expect(patternMismatches(ds.train, 0, 32, 32, 3)).toEqual([]);
    expect(patternMismatches(ds.test!, TEST_OFFSET, 32, 32, 3)).toEqual([]);
    expect(Array.from(ds.train.labels)).toEqual(range(30).map(label10));
  });

  it('loads the extracted cifar-10-batches-py folder (readme ignored)', async () => {
    const ds = await loadDataset(fixtureDir('cifar-10-batches-py'));
    expect(ds.source).toBe('cifar-10-batches-py');
    expect(ds.train.count).toBe(30);
    expect(patternMismatches(ds.train, 0, 32, 32, 3)).toEqual([]);
    expect(Array.from(ds.test!.labels)).toEqual(range(5, TEST_OFFSET).map(label10));
  });

  it('reads a Python 3 protocol-2 pickle (text keys, bytes through _codecs.encode)', async () => {
    const ds = await loadDataset([fixture('cifar-py3/data_batch_1', 'data_batch_1')]);
    expect(ds.train.count).toBe(6);
    expect(patternMismatches(ds.train, 0, 32, 32, 3)).toEqual([]);
    expect(Array.from(ds.train.labels)).toEqual(range(6).map(label10));
  });

  it('loads CIFAR-100 from cifar-100-python.tar.gz with fine labels and the meta names', async () => {
    const ds = await loadDataset([fixture('cifar-100-python.tar.gz')]);
    expect(ds.name).toBe('CIFAR-100');
    expect(ds.classNames[42]).toBe('fine_42');
    expect(Array.from(ds.train.labels)).toEqual(range(8).map(label100));
    expect(Array.from(ds.test!.labels)).toEqual(range(4, TEST_OFFSET).map(label100));
    expect(patternMismatches(ds.test!, TEST_OFFSET, 32, 32, 3)).toEqual([]);
  });

  it('refuses a GLOBAL of os.system by name, without running anything', async () => {
    const e = await refusal(
      loadDataset([fixture('pickles/os_system.pkl', 'cifar-10-batches-py/data_batch_1')]),
    );
    expect(e.file).toBe('data_batch_1');
    expect(e.reason).toMatch(/^refused: the pickle asks for os\.system, which a CIFAR batch never contains/);
    expect(e.reason).toMatch(/nothing in a pickle is ever run/);
  });

  it("refuses what Python's own pickling of an os.system call writes (posix.system)", () => {
    expect(() => readPickle(fixtureBytes('pickles/posix_system.pkl'), 'x.pkl')).toThrow(
      /^x\.pkl: refused: the pickle asks for posix\.system/,
    );
  });

  it('refuses object construction opcodes and unknown numpy globals', () => {
    // INST: "(i" module "\n" name "\n" -> builds an object; and a GLOBAL of numpy.load.
    const inst = new Uint8Array(Buffer.from('\x80\x02(ios\nsystem\n.', 'latin1'));
    expect(() => readPickle(inst, 'a')).toThrow(/^a: refused: the pickle asks for INST/);
    const load = new Uint8Array(Buffer.from('\x80\x02cnumpy\nload\n.', 'latin1'));
    expect(() => readPickle(load, 'b')).toThrow(/^b: refused: the pickle asks for numpy\.load/);
  });

  it('refuses a batch whose labels and images disagree in count', async () => {
    // Drop the last label: the labels list of the first batch holds 6 BININT1 (K, value) pairs.
    const bytes = fixtureBytes('cifar-10-batches-py/data_batch_1');
    const at = labelsAppends(bytes);
    const fewer = new Uint8Array([...bytes.subarray(0, at - 2), ...bytes.subarray(at)]);
    const e = await refusal(loadDataset([fromBytes('data_batch_1', fewer)]));
    expect(e.message).toBe('data_batch_1: holds 6 images but 5 labels; they must match one to one');
  });

  it('refuses a label out of range', async () => {
    const bytes = fixtureBytes('cifar-10-batches-py/data_batch_1').slice();
    const at = labelsAppends(bytes);
    bytes[at - 1] = 10; // the last label's BININT1 value
    const e = await refusal(loadDataset([fromBytes('data_batch_1', bytes)]));
    expect(e.message).toBe(
      'data_batch_1: label 10 of image 5 is out of range: CIFAR-10 has 10 classes, labels 0-9',
    );
  });

  it('refuses a truncated pickle and one that is not a pickle', async () => {
    const bytes = fixtureBytes('cifar-10-batches-py/data_batch_1');
    let e = await refusal(loadDataset([fromBytes('data_batch_1', bytes.subarray(0, 5000))]));
    expect(e.message).toMatch(/^data_batch_1: truncated: the pickle ends unexpectedly/);
    e = await refusal(
      loadDataset([fromBytes('data_batch_1', new TextEncoder().encode('not a pickle at all'))]),
    );
    expect(e.message).toMatch(/^data_batch_1: wrong magic number 0x6e6f: not a pickle/);
  });
});
