// Python with h5py for the model-file tests: writes Keras-layout fixtures (tests/fixtures/make_keras_files.py)
// and reads files back (tests/fixtures/h5_layout.py). Missing Python or h5py is an error saying what to
// install, never a skip.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NamedWeight } from '../../src/model';

const FIXTURES = join(import.meta.dirname, '../fixtures');
let python: string | null = null;

/** The first of $PYTHON, python3, /usr/bin/python3 that imports h5py and numpy. */
export function pythonWithH5py(): string {
  if (python) return python;
  const tried: string[] = [];
  for (const cand of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (!cand) continue;
    try {
      execFileSync(cand, ['-c', 'import h5py, numpy'], { stdio: 'pipe' });
      python = cand;
      return cand;
    } catch (e) {
      tried.push(`${cand}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    'these tests need python3 with h5py and numpy (Debian: apt-get install python3-h5py python3-numpy; ' +
      `or set PYTHON to such an interpreter). Tried: ${tried.join('; ')}`,
  );
}

/** Runs make_keras_files.py into a fresh temporary folder and returns it. */
export function makeKerasFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keras-files-'));
  execFileSync(pythonWithH5py(), [join(FIXTURES, 'make_keras_files.py'), dir], { stdio: 'pipe' });
  return dir;
}

export interface H5Entry {
  kind: 'group' | 'dataset';
  attrs: Record<string, unknown>;
  shape?: number[];
  dtype?: string;
  data?: number[];
}
export interface H5Layout {
  paths: Record<string, H5Entry>;
  zip?: string[];
  compression?: number[];
  config?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** What h5py sees in an .h5 file, or in model.weights.h5 of a .keras zip. */
export function h5Layout(file: string): H5Layout {
  const out = execFileSync(pythonWithH5py(), [join(FIXTURES, 'h5_layout.py'), file], {
    maxBuffer: 256 << 20,
  });
  return JSON.parse(out.toString()) as H5Layout;
}

export function sidecarWeights(file: string): NamedWeight[] {
  const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { shape: number[]; data: number[] }>;
  return Object.entries(j).map(([name, w]) => ({ name, shape: w.shape, data: Float32Array.from(w.data) }));
}
