// Whether an `if` condition holds, when the code says so without running anything: literals, names bound to
// literals (a function's use_dropout=False), not / and / or, comparisons of numbers and strings, and
// `__name__ == '__main__'` (a pasted script is the main module). Anything else is unknown (null).
import type { SyntaxNode } from '@lezer/common';
import type { Value, ValueReader } from './python-values';

function truthy(v: Value): boolean | null {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'num':
      return v.value !== 0;
    case 'none':
      return false;
    case 'str':
      return v.value !== '';
    case 'seq':
      return v.items.length > 0;
    default:
      return null;
  }
}

type Plain = number | string | boolean | null;

function plain(n: SyntaxNode, values: ValueReader): Plain | undefined {
  if (n.name === 'VariableName' && values.text(n) === '__name__') return '__main__';
  let v: Value;
  try {
    v = values.read(n);
  } catch {
    return undefined;
  }
  if (v.kind === 'num' || v.kind === 'str' || v.kind === 'bool') return v.value;
  return v.kind === 'none' ? null : undefined;
}

function compare(a: Plain, op: string, b: Plain): boolean | null {
  switch (op) {
    case '==':
    case 'is':
      return a === b;
    case '!=':
    case 'isnot':
      return a !== b;
    default:
      break;
  }
  if (typeof a !== typeof b || a === null || b === null) return null;
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    default:
      return null;
  }
}

/** Whether two tuples of numbers / strings are equal (strides != (1, 1)); null when either is not one. */
function sameTuples(left: SyntaxNode, right: SyntaxNode, values: ValueReader): boolean | null {
  let a: Value;
  let b: Value;
  try {
    [a, b] = [values.read(left), values.read(right)];
  } catch {
    return null;
  }
  if (a.kind !== 'seq' || b.kind !== 'seq') return null;
  const scalars = (v: Extract<Value, { kind: 'seq' }>) =>
    v.items.every((i) => i.kind === 'num' || i.kind === 'str')
      ? v.items.map((i) => (i as { value: number | string }).value)
      : null;
  const [x, y] = [scalars(a), scalars(b)];
  if (!x || !y) return null;
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function truthOf(n: SyntaxNode, values: ValueReader): boolean | null {
  if (n.name === 'ParenthesizedExpression') {
    const inner = values.children(n)[0];
    return inner ? truthOf(inner, values) : null;
  }
  if (n.name === 'UnaryExpression' && n.firstChild?.name === 'not' && n.lastChild) {
    const t = truthOf(n.lastChild, values);
    return t === null ? null : !t;
  }
  if (n.name === 'BinaryExpression') {
    const left = n.firstChild;
    const right = n.lastChild;
    if (!left || !right) return null;
    // The operator is everything between the operands: 'and', '==', 'is not', 'not in'.
    const op = values.text({ from: left.to, to: right.from }).replace(/\s+/g, '');
    if (op === 'and' || op === 'or') {
      const a = truthOf(left, values);
      if (op === 'and' && a === false) return false;
      if (op === 'or' && a === true) return true;
      const b = truthOf(right, values);
      if (a === null || b === null)
        return (op === 'and' && b === false) || (op === 'or' && b === true) ? b : null;
      return op === 'and' ? a && b : a || b;
    }
    const tuples = op === '==' || op === '!=' ? sameTuples(left, right, values) : null;
    if (tuples !== null) return op === '==' ? tuples : !tuples;
    const a = plain(left, values);
    const b = plain(right, values);
    if (a === undefined || b === undefined) return null;
    return compare(a, op, b);
  }
  try {
    return truthy(values.read(n));
  } catch {
    return null;
  }
}

/**
 * The bodies an if/elif/else statement runs: the first branch whose condition holds, or every branch from the
 * first unknown condition on (`unknown` is that condition, for the reader's note); none when all are false.
 */
export function settledBranches(
  n: SyntaxNode,
  values: ValueReader,
): { bodies: SyntaxNode[]; unknown: SyntaxNode | null } {
  const branches: { cond: SyntaxNode | null; body: SyntaxNode }[] = [];
  let cond: SyntaxNode | null = null;
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.name === 'if' || c.name === 'elif') cond = c.nextSibling;
    else if (c.name === 'else') cond = null;
    else if (c.name === 'Body') branches.push({ cond, body: c });
  }
  for (let i = 0; i < branches.length; i++) {
    const test = branches[i].cond;
    const truth = test ? truthOf(test, values) : true;
    if (truth === false) continue;
    if (truth === true) return { bodies: [branches[i].body], unknown: null };
    return { bodies: branches.slice(i).map((b) => b.body), unknown: test };
  }
  return { bodies: [], unknown: null };
}
