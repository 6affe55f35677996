// Shared by the .keras and .h5 model-file tests: the fixture folder Python writes, the LeNet-5 the fixtures
// hold, and the comparisons both formats make (weights by name and value, h5py entries, predictions).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { importKerasJson } from '../../src/keras';
import type { importKerasH5 } from '../../src/keras/h5';
import { type BuiltModel, type NamedWeight, Rng } from '../../src/model';
import { tensor } from '../../src/reference/tensor';
import { referenceForward } from '../helpers/reference-forward';
import { type H5Entry, makeKerasFixtures, sidecarWeights } from './keras-python';

/** LeNet-5 of the fixtures, counted by hand: conv 5*5*1*6+6, conv 5*5*6*16+16, dense 400*120+120, 120*84+84, 84*10+10. */
export const LENET_PARAMS = 156 + 2416 + 48120 + 10164 + 850;

/**
 * The fixture folder Python writes before the file's tests (slow on a busy machine): its paths, its files'
 * bytes, and the check that an imported fixture LeNet is the one Python wrote beside it.
 */
export function kerasFixtureFolder() {
  let dir = '';
  beforeAll(() => {
    dir = makeKerasFixtures();
  }, 60_000);
  const path = (name: string) => join(dir, name);
  return {
    path,
    read: (name: string) => new Uint8Array(readFileSync(path(name))),
    expectPredictsAsSidecar: (r: ImportedModel, stem: string, count: number, seed: number) =>
      expectPredictsAsSidecar(r, path, stem, count, seed),
    /** The residual block of the fixtures: its graph, its parameters and the weights Python wrote beside it. */
    expectResidual: (r: ImportedModel) => {
      expect(r.built.layers.map((l) => [l.layer.config.name, l.inbound])).toEqual([
        ['conv2d', [-1]],
        ['conv2d_1', [0]],
        ['add', [0, 1]],
        ['activation', [2]],
        ['global_average_pooling2d', [3]],
        ['dense', [4]],
      ]);
      // conv 3*3*3*4+4, conv 3*3*4*4+4, dense 4*3+3
      expect(r.built.paramCount).toBe(112 + 148 + 15);
      expectSameWeights(r.weights, sidecarWeights(path('residual.weights.json')));
    },
  };
}

/** What the fixture LeNet holds in either format: 28x28x1 input, LENET_PARAMS, Adam at 0.0005. */
export function expectFixtureLenet(r: Pick<Awaited<ReturnType<typeof importKerasH5>>, 'built' | 'training'>) {
  expect(r.built.inputShape).toEqual([28, 28, 1]);
  expect(r.built.paramCount).toBe(LENET_PARAMS);
  expect(r.training.optimizer?.name).toBe('adam');
  expect(r.training.optimizer?.learning_rate).toBe(0.0005);
}

interface ImportedModel {
  built: BuiltModel;
  weights: NamedWeight[];
}

export function expectSameWeights(got: NamedWeight[], want: NamedWeight[]) {
  expect(got.map((w) => w.name)).toEqual(want.map((w) => w.name));
  got.forEach((w, i) => {
    expect(w.shape).toEqual(want[i].shape);
    expect(Array.from(w.data)).toEqual(Array.from(want[i].data));
  });
}

/**
 * An imported fixture LeNet holds the weights Python wrote beside it (`<stem>.weights.json`) and predicts
 * `count` random images exactly as those weights do in the model our JSON import reads from `<stem>.config.json`.
 */
function expectPredictsAsSidecar(
  r: ImportedModel,
  path: (name: string) => string,
  stem: string,
  count: number,
  seed: number,
) {
  const want = sidecarWeights(path(`${stem}.weights.json`));
  expectSameWeights(r.weights, want);
  const viaJson = importKerasJson(readFileSync(path(`${stem}.config.json`), 'utf8')).built;
  const rng = new Rng(seed);
  const x = tensor(
    [count, 28, 28, 1],
    Array.from({ length: count * 28 * 28 }, () => rng.next()),
  );
  const ours = referenceForward(r.built, r.weights, x);
  expect(ours.shape).toEqual([count, 10]);
  expect(Array.from(ours.data)).toEqual(Array.from(referenceForward(viaJson, want, x).data));
  // Not a degenerate output: the images get different predictions.
  expect(ours.data[0]).not.toBe(ours.data[10]);
}

/** Attributes, shape and values of each path as h5py sees them, in two files. */
export function expectSameEntries(
  got: Record<string, H5Entry>,
  want: Record<string, H5Entry>,
  paths: string[],
) {
  for (const p of paths) {
    expect({ p, attrs: got[p].attrs, shape: got[p].shape, data: got[p].data }).toEqual({
      p,
      attrs: want[p].attrs,
      shape: want[p].shape,
      data: want[p].data,
    });
  }
}
