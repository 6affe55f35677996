// The passes of a `for` loop when the code says what it iterates over without running anything: a literal
// list or tuple (or a name bound to one), range(...) of integers, enumerate(...) and zip(...) of those. Each
// pass is the values its loop variables take; null when only running the code would tell.
import type { SyntaxNode } from '@lezer/common';
import { baseName, type CallValue, type Value, type ValueReader } from './python-values';

/** More passes than this are not unrolled: a model with that many layers written by a loop is not for here. */
export const MAX_PASSES = 256;

type Pass = Value[];

function items(v: Value): Value[] | null {
  if (v.kind === 'seq') return v.items;
  if (v.kind === 'call') return iterate(v);
  return null;
}

function iterate(call: CallValue): Value[] | null {
  const fn = call.callee;
  const at = call.at;
  if (call.kwargs.length > 0 || call.star) return null;
  if (fn === 'range') {
    const ints = call.args.map((a) => (a.kind === 'num' && Number.isInteger(a.value) ? a.value : null));
    if (ints.length === 0 || ints.length > 3 || ints.some((i) => i === null)) return null;
    const [start, stop, step] =
      ints.length === 1
        ? [0, ints[0] as number, 1]
        : [ints[0] as number, ints[1] as number, (ints[2] ?? 1) as number];
    if (step === 0) return null;
    const out: Value[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
      if (out.length > MAX_PASSES) return null;
      out.push({ kind: 'num', value: i, int: true, at });
    }
    return out;
  }
  if (fn === 'enumerate' && call.args.length === 1) {
    const list = items(call.args[0]);
    return (
      list?.map((v, i) => ({
        kind: 'seq',
        items: [{ kind: 'num', value: i, int: true, at }, v],
        tuple: true,
        at,
      })) ?? null
    );
  }
  if (fn === 'zip' && call.args.length >= 1) {
    const lists = call.args.map(items);
    if (lists.some((l) => l === null)) return null;
    const n = Math.min(...lists.map((l) => (l as Value[]).length));
    return Array.from({ length: n }, (_, i) => ({
      kind: 'seq' as const,
      items: lists.map((l) => (l as Value[])[i]),
      tuple: true,
      at,
    }));
  }
  return baseName(fn) === 'reversed' && call.args.length === 1
    ? (items(call.args[0])?.slice().reverse() ?? null)
    : null;
}

/** Loop variable names and the passes, or null. `for f in [32, 64]` -> [['f'], [[32], [64]]]. */
export function loopPasses(n: SyntaxNode, values: ValueReader): { names: string[]; passes: Pass[] } | null {
  const names: string[] = [];
  let iter: SyntaxNode | null = null;
  for (let c = n.firstChild?.nextSibling; c; c = c.nextSibling) {
    if (c.name === 'in') {
      iter = c.nextSibling;
      break;
    }
    if (c.name === 'VariableName') names.push(values.text(c));
    else if (c.name !== ',') return null; // (a, b) patterns, attributes: not unrolled
  }
  if (!iter || names.length === 0) return null;
  let v: Value;
  try {
    v = values.read(iter);
  } catch {
    return null;
  }
  const list = items(v);
  if (!list || list.length > MAX_PASSES) return null;
  const passes: Pass[] = [];
  for (const item of list) {
    if (names.length === 1) passes.push([item]);
    else if (item.kind === 'seq' && item.items.length === names.length) passes.push(item.items);
    else return null;
  }
  return { names, passes };
}

/** break / continue change which passes run: such loops are not unrolled. */
export function hasJump(body: SyntaxNode): boolean {
  let found = false;
  body.cursor().iterate((c) => {
    if (found) return false;
    if (c.name === 'BreakStatement' || c.name === 'ContinueStatement') found = true;
    return c.name === 'FunctionDefinition' || c.name === 'ClassDefinition' ? false : undefined;
  });
  return found;
}
