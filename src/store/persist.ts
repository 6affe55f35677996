// Saves the code, settings, last trained weights and history in IndexedDB and restores them on reload.
// Every entry is checked when read: a corrupted one is deleted and reported, never allowed to blank the page.
import { del, get, set } from 'idb-keyval';
import type { NamedWeight } from '../model';
import type { EpochMetrics, EvaluationResult, InputAdapt } from '../train/types';
import type { TrainSettings } from './training';

export const KEYS = { code: 'pw:code', settings: 'pw:settings', run: 'pw:run' } as const;

export interface SavedSettings extends TrainSettings {
  inputAdapt: InputAdapt;
}

export interface SavedRun {
  weights: NamedWeight[] | null;
  weightsCode: string | null;
  epochs: EpochMetrics[];
  series: { step: number[]; loss: number[]; accuracy: number[] };
  checkpointEpoch: number;
  checkpointStep: number;
  totalEpochs: number;
  finished: boolean;
  evaluation: EvaluationResult | null;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function validSettings(v: unknown): v is SavedSettings {
  return (
    isObj(v) &&
    (v.optimizer === 'adam' || v.optimizer === 'sgd' || v.optimizer === 'rmsprop') &&
    isNum(v.learningRate) &&
    v.learningRate > 0 &&
    isNum(v.batchSize) &&
    v.batchSize >= 1 &&
    isNum(v.epochs) &&
    v.epochs >= 1 &&
    isNum(v.validationSplit) &&
    v.validationSplit >= 0 &&
    v.validationSplit < 1 &&
    (v.inputAdapt === 'pad' || v.inputAdapt === 'resize')
  );
}

function validWeights(v: unknown): v is NamedWeight[] {
  return (
    Array.isArray(v) &&
    v.every(
      (w) =>
        isObj(w) &&
        typeof w.name === 'string' &&
        Array.isArray(w.shape) &&
        w.data instanceof Float32Array &&
        w.data.length === (w.shape as number[]).reduce((a, d) => a * d, 1),
    )
  );
}

export function validRun(v: unknown): v is SavedRun {
  if (!isObj(v) || !Array.isArray(v.epochs) || !isObj(v.series)) return false;
  const s = v.series;
  if (!Array.isArray(s.step) || !Array.isArray(s.loss) || !Array.isArray(s.accuracy)) return false;
  if (s.step.length !== s.loss.length || s.step.length !== s.accuracy.length) return false;
  if (v.weights !== null && !validWeights(v.weights)) return false;
  if (v.weightsCode !== null && typeof v.weightsCode !== 'string') return false;
  return isNum(v.checkpointEpoch) && isNum(v.checkpointStep) && isNum(v.totalEpochs);
}

export interface Restored {
  code: string | null;
  settings: SavedSettings | null;
  run: SavedRun | null;
  discarded: string[];
}

async function readChecked<T>(key: string, check: (v: unknown) => v is T, what: string, discarded: string[]) {
  try {
    const v = await get(key);
    if (v === undefined) return null;
    if (check(v)) return v;
  } catch {
    // fall through: unreadable is the same as corrupted
  }
  discarded.push(what);
  await del(key).catch(() => {});
  return null;
}

export async function restore(): Promise<Restored> {
  const discarded: string[] = [];
  const isStr = (v: unknown): v is string => typeof v === 'string';
  const code = await readChecked(KEYS.code, isStr, 'the saved code', discarded);
  const settings = await readChecked(KEYS.settings, validSettings, 'the saved training settings', discarded);
  const run = await readChecked(KEYS.run, validRun, 'the saved weights and history', discarded);
  return { code, settings, run, discarded };
}

export const saveCode = (code: string) => set(KEYS.code, code);
export const saveSettings = (s: SavedSettings) => set(KEYS.settings, s);
export const saveRun = (r: SavedRun | null) => (r ? set(KEYS.run, r) : del(KEYS.run));
