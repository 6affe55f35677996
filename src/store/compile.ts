// The page's one door to the Keras interop: code -> built model (parsed, never evaluated), JSON import,
// and the exports. Errors come back with their 1-based line and column for the editor.
import {
  exportKerasCode,
  exportKerasJson,
  exportTfjsModel,
  importKerasCode,
  importKerasJson,
  TFJS_SHARD_NAME,
} from '../keras';
import { type BuiltModel, DEFAULT_TRAINING, type NamedWeight, type TrainingConfig } from '../model';

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

export function compileCode(code: string): Compiled {
  const r = importKerasCode(code);
  return { built: r.built, training: r.training, warnings: r.warnings };
}

/** A Keras JSON file becomes Keras code, so the editor always holds the truth. */
export function jsonToCode(text: string): string {
  const r = importKerasJson(text);
  return exportKerasCode(r.built, { ...DEFAULT_TRAINING, ...r.training });
}

export const exportCode = (built: BuiltModel, training: TrainingConfig) => exportKerasCode(built, training);
export const exportJson = (built: BuiltModel) => exportKerasJson(built);
export const exportTfjs = (built: BuiltModel, weights: NamedWeight[]) => exportTfjsModel(built, weights);
export const TFJS_WEIGHTS_FILE = TFJS_SHARD_NAME;

export function toCodeError(e: unknown): CodeError {
  const err = e as { message?: string; line?: number | null; column?: number | null };
  return {
    message: err?.message ?? String(e),
    line: typeof err?.line === 'number' ? err.line : null,
    column: typeof err?.column === 'number' ? err.column : null,
  };
}
