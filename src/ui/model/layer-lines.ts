// Which line of the Keras code each layer of the built model comes from, for the linked hover between the
// editor, the diagram and the summary. The importer parses the code (never runs it); here the code is only
// scanned for layer calls: `model.add(Conv2D(...))`, `layers.Dense(10)` in a list, `x = layers.Add()([a, b])`.
// The n-th call is the n-th layer when the counts agree; otherwise the n-th call of a class is the n-th layer
// of that class. Layers made in a function of the code (a residual block) are placed on their line in it.
import { LAYER_ALIASES } from '../../keras/layer-names';
import { type BuiltModel, kerasClassOf } from '../../model';

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

/** `def name(...):` blocks: name -> the 0-based lines of the body (deeper indented than the def). */
function functionBodies(lines: string[]): Map<string, number[]> {
  const defs = new Map<string, number[]>();
  const indent = (l: string) => /^[ \t]*/.exec(l)?.[0].length ?? 0;
  lines.forEach((text, i) => {
    const m = /^([ \t]*)def\s+([A-Za-z_]\w*)\s*\(/.exec(text);
    if (!m) return;
    const body: number[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].trim() === '') continue;
      if (indent(lines[j]) <= m[1].length) break;
      body.push(j);
    }
    defs.set(m[2], body);
  });
  return defs;
}

/**
 * Layer calls in the order the code makes them. A call of a function defined in the code (`def block(x):`)
 * stands for the layer calls of its body, each placed on its line in the body.
 */
export function layerCalls(source: string, known: Record<string, string> = LAYER_ALIASES): LayerCall[] {
  const lines = codeOnly(source).split('\n');
  const defs = functionBodies(lines);
  const inDef = new Set([...defs.values()].flat());
  const calls: LayerCall[] = [];
  const scan = (i: number, depth: number) => {
    for (const m of lines[i].matchAll(/(\bdef\s+)?\b([A-Za-z_]\w*)\s*\(/g)) {
      const name = m[2];
      if (m[1]) continue;
      if (name in known && !NOT_LAYERS.has(name)) calls.push({ line: i + 1, className: name });
      else if (defs.has(name) && depth < 8) for (const j of defs.get(name)!) scan(j, depth + 1);
    }
  };
  lines.forEach((_, i) => {
    if (!inDef.has(i)) scan(i, 0);
  });
  return calls;
}

/** Layer name -> 1-based line of its call in `source`. Layers the scan cannot place are left out. */
/** Where a layer stands in creation order among its class: Keras names them conv2d, conv2d_1, conv2d_2… */
function creationIndex(name: string): number {
  const m = /_(\d+)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

export function layerLines(
  source: string,
  model: BuiltModel,
  known: Record<string, string> = LAYER_ALIASES,
): Map<string, number> {
  const calls = layerCalls(source, known);
  const out = new Map<string, number>();
  const layers = model.layers;
  // A chain (Sequential) is built in call order: the n-th call is the n-th layer.
  const chain = layers.every((l, i) => l.inbound.length === 1 && l.inbound[0] === i - 1);
  if (chain && calls.length === layers.length) {
    for (const [i, l] of layers.entries()) out.set(l.layer.config.name, calls[i].line);
    return out;
  }
  // A graph is built in topological order, not call order: match each class's calls to its layers in the
  // order they were made (their names' numbers).
  const byClass = new Map<string, number[]>();
  for (const c of calls) {
    const k = known[c.className] ?? c.className;
    byClass.set(k, [...(byClass.get(k) ?? []), c.line]);
  }
  // By the Keras class the code writes (ReLU() is an Activation layer of class ReLU).
  const classes = new Map<string, string[]>();
  for (const l of layers) {
    const k = kerasClassOf(l.layer);
    classes.set(k, [...(classes.get(k) ?? []), l.layer.config.name]);
  }
  for (const [k, names] of classes) {
    const ordered = [...names].sort((x, y) => creationIndex(x) - creationIndex(y));
    ordered.forEach((name, n) => {
      const line = byClass.get(k)?.[n];
      if (line !== undefined) out.set(name, line);
    });
  }
  return out;
}

/** The layer whose call is on `line`, if any (the first one when a line holds several). */
export function layerAtLine(lines: Map<string, number>, line: number): string | null {
  for (const [name, l] of lines) if (l === line) return name;
  return null;
}
