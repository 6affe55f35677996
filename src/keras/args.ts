// Binding a call's positional and keyword arguments to a Python signature, and reading them as the types
// Keras expects, with errors at the argument's place in the source.
import { editDistance, errorAt, nearest } from './errors';
import { type CallValue, describe, type Span, type Value } from './python-values';

export interface ArgContext {
  source: string;
  warnings: string[];
}

export class BoundArgs {
  constructor(
    readonly what: string,
    readonly call: CallValue,
    readonly values: Map<string, Value>,
    readonly ctx: ArgContext,
  ) {}

  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined;
  }
  get(name: string): Value | undefined {
    return this.values.get(name);
  }

  fail(at: Span, message: string): never {
    throw errorAt(this.ctx.source, at.from, message);
  }

  line(at: Span): number {
    let line = 1;
    for (let i = 0; i < at.from; i++) if (this.ctx.source.charCodeAt(i) === 10) line++;
    return line;
  }

  warn(at: Span, message: string): void {
    this.ctx.warnings.push(`line ${this.line(at)}: ${message}`);
  }

  /** A value that is a name we could not read: say so instead of "must be an integer". */
  private unreadable(name: string, v: Value, wanted: string): never {
    if (v.kind === 'ref' && /^[A-Za-z_]\w*$/.test(v.name)) {
      this.fail(
        v.at,
        `${this.what}: ${name}=${v.name}, but the code never gives ${v.name} a value (is it set in a part not ` +
          `pasted, or imported?); assign it first, e.g. ${v.name} = ..., or write ${wanted} literally`,
      );
    }
    if (v.kind === 'ref' || v.kind === 'other' || v.kind === 'call') {
      this.fail(
        v.at,
        `${this.what}: cannot read ${name}=${describe(v, this.ctx.source)} without running the code; ` +
          `write ${wanted} literally (Paperweight reads code, it never runs it)`,
      );
    }
    this.fail(v.at, `${this.what}: ${name} must be ${wanted}, got ${describe(v, this.ctx.source)}`);
  }

  int(name: string, min = 1): number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (v.kind !== 'num' || !Number.isInteger(v.value)) this.unreadable(name, v, 'an integer');
    if (v.value < min) this.fail(v.at, `${this.what}: ${name} must be at least ${min}, got ${v.value}`);
    return v.value;
  }

  number(name: string): number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (v.kind !== 'num') this.unreadable(name, v, 'a number');
    return v.value;
  }

  bool(name: string): boolean | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (v.kind !== 'bool') this.unreadable(name, v, 'True or False');
    return v.value;
  }

  /** A string, or undefined when absent or None. */
  str(name: string, allowed?: readonly string[]): string | undefined {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'none') return undefined;
    if (v.kind !== 'str') this.unreadable(name, v, 'a string');
    if (allowed && !allowed.includes(v.value)) {
      this.fail(
        v.at,
        `${this.what}: ${name}='${v.value}' is not supported; use ${allowed.map((a) => `'${a}'`).join(' or ')}`,
      );
    }
    return v.value;
  }

  /** An int or a tuple/list of `n` ints (Keras's kernel_size, strides, pool_size). */
  size(name: string, n = 2): number[] | undefined {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'none') return undefined;
    const ints = (items: Value[]) =>
      items.map((i) => {
        if (i.kind !== 'num' || !Number.isInteger(i.value) || i.value < 1) {
          this.unreadable(name, v, `a positive integer or a tuple of ${n}`);
        }
        return i.value;
      });
    if (v.kind === 'num') return ints([v]);
    if (v.kind === 'seq' && (v.items.length === n || v.items.length === 1)) return ints(v.items);
    return this.unreadable(name, v, `an integer or a tuple of ${n} integers`);
  }

  /** A shape tuple such as (32, 32, 1); `dropBatch` for batch_input_shape=(None, 32, 32, 1). */
  shape(name: string, dropBatch = false): number[] | undefined {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'none') return undefined;
    let items: Value[];
    if (v.kind === 'num') items = [v];
    else if (v.kind === 'seq') items = v.items;
    else return this.unreadable(name, v, 'a tuple such as (32, 32, 1)');
    if (dropBatch) items = items.slice(1);
    if (items.length === 0)
      this.fail(v.at, `${this.what}: ${name} is empty; give the sizes, e.g. (32, 32, 1)`);
    return items.map((i) => {
      if (i.kind === 'none') {
        this.fail(
          v.at,
          `${this.what}: ${name}=${describe(v, this.ctx.source)} has an unknown size (None); Paperweight needs ` +
            `fixed sizes, e.g. (32, 32, 1)`,
        );
      }
      if (i.kind !== 'num' || !Number.isInteger(i.value) || i.value < 1) {
        this.unreadable(name, v, 'a tuple of positive integers such as (32, 32, 1)');
      }
      return i.value;
    });
  }

  /** Arguments Keras has that change nothing here when left at their default; anything else is refused. */
  requireDefault(name: string, ok: (v: Value) => boolean, fix: string): void {
    const v = this.values.get(name);
    if (v === undefined || ok(v)) return;
    this.fail(v.at, `${this.what}: ${name}=${describe(v, this.ctx.source)} is not supported; ${fix}`);
  }

  /** Arguments that only matter outside Paperweight: warn that they are ignored unless None. */
  ignore(name: string, why: string): void {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'none') return;
    this.warn(v.at, `${this.what}: ${name}=${describe(v, this.ctx.source)} is ignored (${why})`);
  }
}

/**
 * Binds `call`'s arguments to `params` (positional order first, then keyword-only ones). Unknown keywords
 * are refused with the nearest known one.
 */
export function bindArgs(
  what: string,
  call: CallValue,
  positional: readonly string[],
  keywordOnly: readonly string[],
  ctx: ArgContext,
  /** The arguments to list when an unknown one is far from all of them (not the ones every layer has). */
  listed: readonly string[] = [...positional, ...keywordOnly],
): BoundArgs {
  const fail = (at: Span, msg: string): never => {
    throw errorAt(ctx.source, at.from, msg);
  };
  if (call.star) {
    fail(
      call.star,
      `${what}: *args / **kwargs cannot be read without running the code; write the arguments out`,
    );
  }
  const values = new Map<string, Value>();
  if (call.args.length > positional.length) {
    const extra = call.args[positional.length];
    fail(
      extra.at,
      `${what} takes at most ${positional.length} positional argument${positional.length === 1 ? '' : 's'}` +
        (positional.length ? ` (${positional.join(', ')})` : '') +
        `; pass the others by keyword`,
    );
  }
  call.args.forEach((v, i) => {
    values.set(positional[i], v);
  });
  const known = [...positional, ...keywordOnly];
  for (const kw of call.kwargs) {
    if (!known.includes(kw.name)) {
      const best = nearest(kw.name, known);
      const close = editDistance(kw.name, best) <= Math.max(2, Math.floor(kw.name.length * 0.4));
      fail(
        kw.at,
        `${what} has no argument '${kw.name}'; ` +
          (close ? `did you mean '${best}'?` : `its arguments are ${listed.join(', ')}`),
      );
    }
    if (values.has(kw.name)) fail(kw.at, `${what} got two values for '${kw.name}'`);
    values.set(kw.name, kw.value);
  }
  return new BoundArgs(what, call, values, ctx);
}
