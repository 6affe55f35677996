// A seeded fuzz test of loadDataset (scripts/fuzz.*): mutations of every valid fixture (bit flips, cuts,
// overwritten runs, tar size fields inflated inside a valid gzip, damaged entries inside a valid zip) and
// the hostile families of issue 12 with random parameters. Each case runs in a child process with memory
// and CPU-time limits; every case must end loaded (and valid) or refused with a DatasetError whose message
// a person can read. The same cases, many more of them: `npm run fuzz -- --cases 20000`.
import { describe, expect, it } from 'vitest';
import { makeCase } from '../../scripts/fuzz.cases';
import { datasetProblem, messageProblem } from '../../scripts/fuzz.check';
import { runFuzz } from '../../scripts/fuzz.run';

const SEED = 12;
const CASES = 320;

describe('fuzzing loadDataset', () => {
  it(`ends ${CASES} seeded cases loaded or refused: no crash, no hang, no garbled message`, async () => {
    const summary = await runFuzz({
      seed: SEED,
      cases: Array.from({ length: CASES }, (_, i) => i),
      workers: 2,
    });
    const shown = summary.failures.map((f) => `case ${f.index} ${f.outcome}: ${f.label}\n  ${f.detail}`);
    expect(shown).toEqual([]);
    expect(summary.counts.crash + summary.counts.hang).toBe(0);
    // Both ends are reached: the mutations are not all fatal, and not all harmless.
    expect(summary.counts.loaded).toBeGreaterThan(0);
    expect(summary.counts.refused).toBeGreaterThan(CASES / 4);
    expect(summary.counts.loaded + summary.counts.refused).toBe(CASES);
  }, 240_000);

  it('builds the same case from the same seed and index, and different ones otherwise', () => {
    const a = makeCase(SEED, 7);
    const b = makeCase(SEED, 7);
    expect(b.label).toBe(a.label);
    expect(b.files.map((f) => Buffer.from(f.bytes).toString('base64'))).toEqual(
      a.files.map((f) => Buffer.from(f.bytes).toString('base64')),
    );
    const labels = new Set(Array.from({ length: 40 }, (_, i) => makeCase(SEED, i).label));
    expect(labels.size).toBeGreaterThan(30);
  });

  it('counts engine text, control characters and invalid datasets as failures', () => {
    expect(messageProblem('x.zip: is not a readable zip archive (invalid zip data)')).toMatch(/jargon/);
    expect(messageProblem('data_batch_1: needs NaN bytes')).toMatch(/jargon/);
    expect(messageProblem('a\u0001b: broken')).toMatch(/control characters/);
    expect(messageProblem('data_batch_1: is an empty CIFAR batch; download it again')).toBeNull();
    const ok = {
      name: 'x',
      source: 'x',
      height: 1,
      width: 1,
      channels: 1,
      classNames: ['a', 'b'],
      train: { images: new Uint8Array(2), labels: Int32Array.from([0, 1]), count: 2 },
      test: null,
      normalization: { kind: 'scale255' as const },
      notes: [],
    };
    expect(datasetProblem(ok)).toBeNull();
    expect(datasetProblem({ ...ok, train: { ...ok.train, labels: Int32Array.from([0, 2]) } })).toMatch(
      /label 2 of image 1 is not one of 2 classes/,
    );
    expect(
      datasetProblem({ ...ok, train: { images: new Uint8Array(0), labels: new Int32Array(0), count: 0 } }),
    ).toMatch(/holds 0 images/);
  });
});
