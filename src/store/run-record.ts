// A finished training run as the run list keeps it: the code (and its hash), the settings, the dataset, the
// curves (thinned to a bounded number of points) and the final metrics. Pure, so it is tested without
// IndexedDB; src/store/runs.ts stores the records.
import type { EpochMetrics } from '../train/types';
import type { TrainSettings } from './run-config';

export const MAX_RUNS = 24;
/** Curve points kept per run: enough for a smooth overlay, small enough that 24 runs stay a few MB. */
export const MAX_POINTS = 1500;

export interface RunCurves {
  step: number[];
  loss: number[];
  accuracy: number[];
}

export interface RunRecord {
  id: string;
  /** Counts up over the page's life (shown as #n). */
  number: number;
  createdAt: number;
  code: string;
  codeHash: string;
  modelName: string;
  settings: TrainSettings;
  dataset: string;
  curves: RunCurves;
  epochs: EpochMetrics[];
  final: {
    loss: number | null;
    accuracy: number | null;
    valLoss: number | null;
    valAccuracy: number | null;
    testAccuracy: number | null;
  };
  /** How the run ended. */
  outcome: 'finished' | 'stopped' | 'error';
}

/** FNV-1a over the UTF-16 code units, as 8 hex digits: equal code, equal hash. */
export function codeHash(code: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) {
    h ^= code.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** At most `max` points: means over equal runs of consecutive points (the curve's shape is kept). */
export function thin(c: RunCurves, max = MAX_POINTS): RunCurves {
  const n = c.step.length;
  if (n <= max) return { step: [...c.step], loss: [...c.loss], accuracy: [...c.accuracy] };
  const out: RunCurves = { step: [], loss: [], accuracy: [] };
  for (let k = 0; k < max; k++) {
    const a = Math.floor((k * n) / max);
    const z = Math.floor(((k + 1) * n) / max);
    let l = 0;
    let acc = 0;
    for (let i = a; i < z; i++) {
      l += c.loss[i];
      acc += c.accuracy[i];
    }
    out.step.push(c.step[z - 1]);
    out.loss.push(l / (z - a));
    out.accuracy.push(acc / (z - a));
  }
  return out;
}

export interface SettingDiff {
  label: string;
  /** One value per compared run, as text. */
  values: string[];
}

/** The settings (and code, and data) in which the runs differ; empty when they all agree. */
export function settingsDiff(runs: RunRecord[]): SettingDiff[] {
  const rows: [string, (r: RunRecord) => string][] = [
    ['model code', (r) => `${r.modelName} #${r.codeHash}`],
    ['dataset', (r) => r.dataset],
    ['optimizer', (r) => r.settings.optimizer],
    ['learning rate', (r) => String(r.settings.learningRate)],
    ['batch size', (r) => String(r.settings.batchSize)],
    ['epochs', (r) => String(r.settings.epochs)],
    ['validation split', (r) => String(r.settings.validationSplit)],
  ];
  return rows.map(([label, f]) => ({ label, values: runs.map(f) })).filter((d) => new Set(d.values).size > 1);
}

/** Why a new run cannot be kept, or null when there is room. */
export function fullMessage(count: number): string | null {
  if (count < MAX_RUNS) return null;
  return `The run list is full (${MAX_RUNS} runs): this run was not kept. Delete runs you no longer need to keep new ones.`;
}
