// Errors of the Keras importers: a message that starts with "line L, column C: " when the source has a place
// for it, plus the 1-based line and column for the editor to jump to.
export class KerasImportError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(line !== null && column !== null ? `line ${line}, column ${column}: ${message}` : message);
    this.name = 'KerasImportError';
  }
}

/** Why graphs with several inputs or outputs are refused (the code and JSON importers say it alike). */
export function oneInputOneOutput(count: number, what: 'input' | 'output'): string {
  return (
    `the model has ${count} ${what}s; Paperweight builds models with one input and one output (a dataset ` +
    `here gives each sample one input tensor and one label): ${what === 'input' ? 'give the model one keras.Input' : 'keep one output'}`
  );
}

/** Why a layer object used twice is refused: Keras would share its weights between the two calls. */
export function sharedLayer(what: string, fix: string): string {
  return `${what}; shared layers (one set of weights used in two places) are not supported yet: ${fix}`;
}

/** 1-based line and column (in UTF-16 code units, as editors count) of a character offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** An error at a source offset. */
export function errorAt(source: string, offset: number, message: string): KerasImportError {
  const { line, column } = lineColumn(source, offset);
  return new KerasImportError(message, line, column);
}

/** Levenshtein distance, case-insensitive: 'conv3d' vs 'Conv2D' is 1. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[t.length];
}

/** The candidate nearest to `name` by edit distance (the first one on ties). */
export function nearest(name: string, candidates: readonly string[]): string {
  let best = candidates[0];
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** "did you mean 'X'?" when X is close, otherwise the nearest and the full list. */
export function suggestion(name: string, candidates: readonly string[], noun: string): string {
  const best = nearest(name, candidates);
  const d = editDistance(name, best);
  if (d <= Math.max(2, Math.floor(name.length * 0.4))) return `did you mean '${best}'?`;
  return `the nearest supported ${noun} is '${best}' (supported: ${candidates.join(', ')})`;
}
