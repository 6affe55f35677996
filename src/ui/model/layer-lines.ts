// Which line of the Keras code each layer of the built model comes from, for the linked hover between the
// editor, the diagram and the summary. The importer parses the code (never runs it); here the code is only
// scanned for layer calls: `model.add(Conv2D(...))`, `layers.Dense(10)` in a list, `x = layers.Add()([a, b])`.
// The n-th call is the n-th layer when the counts agree; otherwise the n-th call of a class is the n-th layer
// of that class.
import { LAYER_ALIASES } from '../../keras/layer-names';
import type { BuiltModel } from '../../model';

/** Class names that make no layer of the built model. */
const NOT_LAYERS = new Set(['Input', 'InputLayer', 'Sequential', 'Model', 'Functional']);

export interface LayerCall {
  /** 1-based line of the call. */
  line: number;
  /** The class as written (an alias such as MaxPool2D included). */
  className: string;
}

/** The code with strings and comments blanked (same length, same line breaks), so they never match. */
function codeOnly(source: string): string {
  return source.replace(
    /#[^\n]*|'''[\s\S]*?'''|"""[\s\S]*?"""|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g,
    (m) => m.replace(/[^\n]/g, ' '),
  );
}

export function layerCalls(source: string, known: Record<string, string> = LAYER_ALIASES): LayerCall[] {
  const calls: LayerCall[] = [];
  const lines = codeOnly(source).split('\n');
  lines.forEach((text, i) => {
    for (const m of text.matchAll(/\b([A-Z][A-Za-z0-9_]*)\s*\(/g)) {
      const name = m[1];
      if (NOT_LAYERS.has(name) || !(name in known)) continue;
      calls.push({ line: i + 1, className: name });
    }
  });
  return calls;
}

/** Layer name -> 1-based line of its call in `source`. Layers the scan cannot place are left out. */
export function layerLines(
  source: string,
  model: BuiltModel,
  known: Record<string, string> = LAYER_ALIASES,
): Map<string, number> {
  const calls = layerCalls(source, known);
  const out = new Map<string, number>();
  const layers = model.layers;
  if (calls.length === layers.length) {
    for (const [i, l] of layers.entries()) out.set(l.layer.config.name, calls[i].line);
    return out;
  }
  const byClass = new Map<string, number[]>();
  for (const c of calls) {
    const k = known[c.className] ?? c.className;
    byClass.set(k, [...(byClass.get(k) ?? []), c.line]);
  }
  const seen = new Map<string, number>();
  for (const l of layers) {
    const k = l.layer.className;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    const line = byClass.get(k)?.[n];
    if (line !== undefined) out.set(l.layer.config.name, line);
  }
  return out;
}

/** The layer whose call is on `line`, if any (the first one when a line holds several). */
export function layerAtLine(lines: Map<string, number>, line: number): string | null {
  for (const [name, l] of lines) if (l === line) return name;
  return null;
}
