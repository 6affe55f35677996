// Reads Python expressions from the @lezer/python syntax tree as plain data, never evaluating them: literals,
// tuples and lists, calls (callee name + arguments, kept as syntax), names, and + - * / // on numbers
// (so `input_shape=(28 * 28,)` and `Dense(num_classes)` read as people mean them).
import type { SyntaxNode } from '@lezer/common';
import { arrayCall, type SubscriptItem, subscript } from './arrays';
import { truthOf } from './conditions';
import { errorAt } from './errors';
import { argSegments } from './syntax';

export interface Span {
  from: number;
  to: number;
}

export interface KwArg {
  name: string;
  /** Where the keyword itself is, for "no argument 'x'" errors. */
  at: Span;
  value: Value;
}

export type Value =
  | { kind: 'num'; value: number; int: boolean; at: Span }
  | { kind: 'str'; value: string; at: Span }
  | { kind: 'bool'; value: boolean; at: Span }
  | { kind: 'none'; at: Span }
  | { kind: 'seq'; items: Value[]; tuple: boolean; at: Span }
  | { kind: 'dict'; entries: [string, Value][]; at: Span }
  | CallValue
  /** A name or dotted name that is not a known variable: x_train, tf.nn.relu. */
  | { kind: 'ref'; name: string; at: Span }
  /** A NumPy array whose shape the code states (a Keras dataset's load_data(), reshape, ...): arrays.ts. */
  | { kind: 'array'; shape: number[]; at: Span }
  /** Anything else (subscripts, lambdas, comprehensions): kept only to be refused where it matters. */
  | { kind: 'other'; text: string; at: Span };

export interface CallValue {
  kind: 'call';
  /** Dotted callee: 'keras.layers.Conv2D'. Empty when the callee is not a name (f()(x)). */
  callee: string;
  /** Where the last part of the callee name is ('Conv2D' in layers.Conv2D). */
  nameAt: Span;
  args: Value[];
  kwargs: KwArg[];
  /** *args or **kwargs in the call: the arguments cannot be known without running the code. */
  star: Span | null;
  at: Span;
}

export type Scope = Map<string, Value>;

export class ValueReader {
  /** Names imported under another name (from keras.layers import Conv2D as C2D): C2D -> Conv2D. */
  readonly imported = new Map<string, string>();

  constructor(
    readonly source: string,
    readonly scope: Scope,
  ) {}

  text(n: { from: number; to: number }): string {
    return this.source.slice(n.from, n.to);
  }

  /** Dotted name of a VariableName / MemberExpression chain, or null (subscripts, calls). */
  dotted(n: SyntaxNode): string | null {
    if (n.name === 'VariableName') return this.text(n);
    if (n.name !== 'MemberExpression') return null;
    const obj = n.firstChild;
    const prop = n.lastChild;
    if (!obj || !prop || prop.name !== 'PropertyName') return null;
    const base = this.dotted(obj);
    return base === null ? null : `${base}.${this.text(prop)}`;
  }

  read(n: SyntaxNode): Value {
    const at = { from: n.from, to: n.to };
    switch (n.name) {
      case 'Number':
        return this.number(n);
      case 'String':
        return { kind: 'str', value: this.string(n), at };
      case 'ContinuedString': {
        let s = '';
        for (let c = n.firstChild; c; c = c.nextSibling) if (c.name === 'String') s += this.string(c);
        return { kind: 'str', value: s, at };
      }
      case 'Boolean':
        return { kind: 'bool', value: this.text(n) === 'True', at };
      case 'None':
        return { kind: 'none', at };
      case 'ParenthesizedExpression': {
        const inner = this.children(n)[0];
        return inner ? { ...this.read(inner), at } : { kind: 'seq', items: [], tuple: true, at };
      }
      case 'TupleExpression':
      case 'ArrayExpression':
        return {
          kind: 'seq',
          items: this.children(n).map((c) => this.read(c)),
          tuple: n.name === 'TupleExpression',
          at,
        };
      case 'DictionaryExpression':
        return this.dict(n);
      case 'UnaryExpression': {
        const [op, arg] = [n.firstChild, n.lastChild];
        const v = arg ? this.read(arg) : null;
        if (op && v?.kind === 'num' && (this.text(op) === '-' || this.text(op) === '+')) {
          return { ...v, value: this.text(op) === '-' ? -v.value : v.value, at };
        }
        return this.other(n);
      }
      case 'BinaryExpression':
        return this.binary(n);
      case 'ConditionalExpression': {
        // a if cond else b: the branch the condition picks, when the code says which (else kept as written).
        const [then, cond, otherwise] = this.children(n).filter((c) => c.name !== 'if' && c.name !== 'else');
        const holds = cond ? truthOf(cond, this) : null;
        if (holds === null || !then || !otherwise) return this.other(n);
        return { ...this.read(holds ? then : otherwise), at };
      }
      case 'CallExpression': {
        const c = this.call(n);
        if (c.kind !== 'call') return c;
        // A method call: its receiver may be an array (x.reshape(...).astype(...)).
        const callee = n.firstChild;
        const method = callee?.name === 'MemberExpression' ? callee.lastChild : null;
        const receiver =
          callee?.firstChild && method?.name === 'PropertyName' ? this.read(callee.firstChild) : undefined;
        const name = method?.name === 'PropertyName' ? this.text(method) : c.callee;
        return arrayCall(c, name, receiver, this.scope, at) ?? c;
      }
      case 'VariableName':
      case 'MemberExpression': {
        if (n.getChild('[')) return this.subscript(n);
        const name = this.dotted(n);
        if (name === null) return this.other(n);
        const bound = this.scope.get(name);
        if (bound) return { ...bound, at };
        // x.shape of an array whose shape is known: a tuple of ints.
        const base = name.endsWith('.shape') ? this.scope.get(name.slice(0, -'.shape'.length)) : undefined;
        if (base?.kind === 'array') {
          const items: Value[] = base.shape.map((d) => ({ kind: 'num', value: d, int: true, at }));
          return { kind: 'seq', items, tuple: true, at };
        }
        return { kind: 'ref', name, at };
      }
      default:
        return this.other(n);
    }
  }

  /** value[...] on a tuple or an array of known shape (shape[1:], x[..., np.newaxis]); otherwise kept as written. */
  private subscript(n: SyntaxNode): Value {
    const obj = n.firstChild;
    if (!obj) return this.other(n);
    const groups: SyntaxNode[][] = [[]];
    let open = false;
    for (let c = obj.nextSibling; c; c = c.nextSibling) {
      if (c.name === '[') open = true;
      else if (c.name === ']') break;
      else if (open && c.name === ',') groups.push([]);
      else if (open && c.name !== 'Comment') groups[groups.length - 1].push(c);
    }
    const items: SubscriptItem[] = [];
    for (const g of groups) {
      const item = this.subscriptItem(g);
      if (!item) return this.other(n);
      items.push(item);
    }
    return subscript(this.read(obj), items, { from: n.from, to: n.to }) ?? this.other(n);
  }

  private subscriptItem(g: SyntaxNode[]): SubscriptItem | null {
    const int = (nodes: SyntaxNode[]): number | null | undefined => {
      if (nodes.length === 0) return null;
      const v = nodes.length === 1 ? this.read(nodes[0]) : null;
      return v?.kind === 'num' && Number.isInteger(v.value) ? v.value : undefined;
    };
    const colons = g.filter((c) => c.name === ':');
    if (colons.length > 0) {
      const cut = g.indexOf(colons[0]);
      const stopEnd = colons.length > 1 ? g.indexOf(colons[1]) : g.length;
      if (colons.length > 1 && g.length > stopEnd + 1) return null; // a step: not read
      const start = int(g.slice(0, cut));
      const stop = int(g.slice(cut + 1, stopEnd));
      return start === undefined || stop === undefined ? null : { kind: 'slice', start, stop };
    }
    if (g.length !== 1) return null;
    if (g[0].name === 'Ellipsis') return { kind: 'ellipsis' };
    if (g[0].name === 'None' || /(^|\.)newaxis$/.test(this.dotted(g[0]) ?? '')) return { kind: 'newaxis' };
    const i = int(g);
    return typeof i === 'number' ? { kind: 'index', value: i } : null;
  }

  /** Children that are expressions (not punctuation, keywords or comments). */
  children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Comment' || c.type.isError || /^[()[\]{},:]$/.test(c.name)) continue;
      out.push(c);
    }
    return out;
  }

  private other(n: SyntaxNode): Value {
    return { kind: 'other', text: this.text(n), at: { from: n.from, to: n.to } };
  }

  private number(n: SyntaxNode): Value {
    const raw = this.text(n).replace(/_/g, '');
    const at = { from: n.from, to: n.to };
    if (/[jJ]$/.test(raw)) return this.other(n);
    const value = /^0[xob]/i.test(raw) ? Number(raw) : Number.parseFloat(raw);
    if (!Number.isFinite(value)) throw errorAt(this.source, n.from, `cannot read the number '${raw}'`);
    return { kind: 'num', value, int: !/[.eE]/.test(raw) || /^0[xob]/i.test(raw), at };
  }

  private string(n: SyntaxNode): string {
    const raw = this.text(n);
    const m = /^([rRuUbB]*)('''|"""|'|")([\s\S]*)\2$/.exec(raw);
    if (!m) throw errorAt(this.source, n.from, `cannot read the string ${raw}`);
    if (/[rR]/.test(m[1])) return m[3];
    return m[3].replace(/\\(["'\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }

  private dict(n: SyntaxNode): Value {
    const entries: [string, Value][] = [];
    const kids = this.children(n);
    for (let i = 0; i + 1 < kids.length; i += 2) {
      const k = this.read(kids[i]);
      if (k.kind === 'str') entries.push([k.value, this.read(kids[i + 1])]);
    }
    return { kind: 'dict', entries, at: { from: n.from, to: n.to } };
  }

  private binary(n: SyntaxNode): Value {
    const left = n.firstChild;
    const op = left?.nextSibling;
    const right = n.lastChild;
    if (!left || !op || !right || op.name !== 'ArithOp') return this.other(n);
    const a = this.read(left);
    const b = this.read(right);
    // x_train / 255.0, x - mean: arithmetic keeps an array's shape.
    const array = a.kind === 'array' ? a : b.kind === 'array' ? b : null;
    const other = array === a ? b : a;
    if (
      array &&
      (other.kind === 'num' || (other.kind === 'array' && other.shape.join() === array.shape.join()))
    ) {
      return { kind: 'array', shape: array.shape, at: { from: n.from, to: n.to } };
    }
    if (a.kind !== 'num' || b.kind !== 'num') return this.other(n);
    const o = this.text(op);
    const at = { from: n.from, to: n.to };
    const int = a.int && b.int;
    switch (o) {
      case '+':
        return { kind: 'num', value: a.value + b.value, int, at };
      case '-':
        return { kind: 'num', value: a.value - b.value, int, at };
      case '*':
        return { kind: 'num', value: a.value * b.value, int, at };
      case '/':
        return { kind: 'num', value: a.value / b.value, int: false, at };
      case '//':
        return { kind: 'num', value: Math.floor(a.value / b.value), int, at };
      case '**':
        return { kind: 'num', value: a.value ** b.value, int, at };
      default:
        return this.other(n);
    }
  }

  call(n: SyntaxNode): Value {
    const calleeNode = n.firstChild;
    const argList = n.lastChild;
    if (!calleeNode || !argList || argList.name !== 'ArgList') return this.other(n);
    const written = this.dotted(calleeNode) ?? '';
    const callee = this.imported.get(written) ?? written;
    const nameNode =
      calleeNode.name === 'MemberExpression' && calleeNode.lastChild ? calleeNode.lastChild : calleeNode;
    const out: CallValue = {
      kind: 'call',
      callee,
      nameAt: { from: nameNode.from, to: nameNode.to },
      args: [],
      kwargs: [],
      star: null,
      at: { from: n.from, to: n.to },
    };
    for (const segment of argSegments(argList)) {
      const [first, second] = segment;
      if (segment.length >= 3 && first.name === 'VariableName' && second.name === 'AssignOp') {
        out.kwargs.push({
          name: this.text(first),
          at: { from: first.from, to: first.to },
          value: this.read(segment[2]),
        });
      } else if (first.name === '*' || first.name === '**') {
        out.star ??= { from: first.from, to: (segment[1] ?? first).to };
      } else {
        out.args.push(this.read(first));
      }
    }
    return out;
  }
}

/** The last part of a dotted name: 'keras.layers.Conv2D' -> 'Conv2D'. */
export function baseName(dotted: string): string {
  const i = dotted.lastIndexOf('.');
  return i < 0 ? dotted : dotted.slice(i + 1);
}

/** How a value is written, for messages. */
export function describe(v: Value, source: string): string {
  return source.slice(v.at.from, v.at.to).replace(/\s+/g, ' ');
}
