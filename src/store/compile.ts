// The page's one door to the Keras interop: code -> built model (parsed, never evaluated), JSON import,
// and the exports. Errors come back with their 1-based line and column for the editor.

import * as keras from '../keras';
import type { BuiltModel, NamedWeight, TrainingConfig } from '../model';

export interface Compiled {
  built: BuiltModel;
  training: Partial<TrainingConfig>;
  warnings: string[];
}

export interface CodeError {
  message: string;
  line: number | null;
  column: number | null;
}

// The exporters land progressively in src/keras; reading them off the namespace keeps the page loading
// (and says so when one is missing) instead of failing to link.
type Exports = {
  importKerasJson?: (text: string) => { built: BuiltModel; training?: Partial<TrainingConfig> };
  exportKerasCode?: (built: BuiltModel, training: TrainingConfig) => string;
  exportKerasJson?: (built: BuiltModel) => string;
  exportTfjsModel?: (
    built: BuiltModel,
    weights: NamedWeight[],
  ) => { modelJson: string; weightsBin: Uint8Array | ArrayBuffer };
};
const k = keras as unknown as Exports;

function need<T>(f: T | undefined, what: string): T {
  if (!f) throw new Error(`${what} is not available in this build yet`);
  return f;
}

export function compileCode(code: string): Compiled {
  const r = keras.importKerasCode(code);
  return { built: r.built, training: r.training, warnings: r.warnings };
}

/** A Keras JSON file becomes Keras code, so the editor always holds the truth. */
export function jsonToCode(text: string): string {
  const r = need(k.importKerasJson, 'Keras JSON import')(text);
  const { DEFAULT_TRAINING } = keras as unknown as { DEFAULT_TRAINING?: TrainingConfig };
  return exportCode(r.built, {
    ...(DEFAULT_TRAINING ?? defaults()),
    ...(r.training ?? {}),
  } as TrainingConfig);
}

function defaults(): TrainingConfig {
  return {
    optimizer: { name: 'adam', learning_rate: 0.001 },
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
    batch_size: 64,
    epochs: 5,
    validation_split: 0.1,
  };
}

export const exportCode = (built: BuiltModel, training: TrainingConfig) =>
  need(k.exportKerasCode, 'Keras code export')(built, training);
export const exportJson = (built: BuiltModel) => need(k.exportKerasJson, 'Keras JSON export')(built);
export const exportTfjs = (built: BuiltModel, weights: NamedWeight[]) =>
  need(k.exportTfjsModel, 'TF.js export')(built, weights);

export function toCodeError(e: unknown): CodeError {
  const err = e as { message?: string; line?: number | null; column?: number | null };
  return {
    message: err?.message ?? String(e),
    line: typeof err?.line === 'number' ? err.line : null,
    column: typeof err?.column === 'number' ? err.column : null,
  };
}
