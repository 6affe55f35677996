// The model slice: the code in the editor, the model it builds (or why it does not), settings from the code.
import { create } from 'zustand';
import { type BuiltModel, type Summary, summarize, type TrainingConfig } from '../model';
import { DEFAULT_PRESET, PRESETS } from '../model/code-presets';
import { type CodeError, compileCode, toCodeError } from './compile';

interface ModelState {
  code: string;
  /** The code the current model was built from (the editor may hold unapplied edits). */
  appliedCode: string;
  presetId: string | null;
  built: BuiltModel | null;
  summary: Summary | null;
  error: CodeError | null;
  warnings: string[];
  /** Training settings read from model.compile / model.fit in the code. */
  codeTraining: Partial<TrainingConfig>;
  /** Bumped on every successful apply so panels can react (e.g. reset training settings). */
  revision: number;
  setCode(code: string): void;
  /** Builds the model from `code` (default: the editor's). Returns whether it worked. */
  apply(code?: string): boolean;
  choosePreset(id: string): void;
}

export const useModel = create<ModelState>((set, get) => ({
  code: DEFAULT_PRESET.code,
  appliedCode: '',
  presetId: DEFAULT_PRESET.id,
  built: null,
  summary: null,
  error: null,
  warnings: [],
  codeTraining: {},
  revision: 0,
  setCode: (code) => set({ code, presetId: PRESETS.find((p) => p.code === code)?.id ?? null }),
  apply: (code = get().code) => {
    try {
      const c = compileCode(code);
      set({
        code,
        appliedCode: code,
        presetId: PRESETS.find((p) => p.code === code)?.id ?? null,
        built: c.built,
        summary: summarize(c.built),
        error: null,
        warnings: c.warnings,
        codeTraining: c.training,
        revision: get().revision + 1,
      });
      return true;
    } catch (e) {
      // The previous model stays: a typo must not blank the diagram.
      set({ code, error: toCodeError(e) });
      return false;
    }
  },
  choosePreset: (id) => {
    const p = PRESETS.find((x) => x.id === id);
    if (p) get().apply(p.code);
  },
}));
