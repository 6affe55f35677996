// Walks the statements of Keras code for the functional reader (never running them): assignments, calls,
// function definitions and returns go to the subclass; for loops over what the code lists run pass by pass,
// if statements take the branch the code decides, num_filters *= 2 updates a known number.
import type { SyntaxNode } from '@lezer/common';
import type { ArgContext } from './args';
import { settledBranches } from './conditions';
import { ControlWalker } from './control-walker';
import { errorAt } from './errors';
import type { Scope, Value, ValueReader } from './python-values';
import { argSegments } from './syntax';

/** int(...), float(...), round(...), abs(...) of a number the code knows: num_blocks = int((depth - 2) / 6). */
export function builtin(v: Value): Value {
  if (v.kind !== 'call' || v.args.length !== 1 || v.kwargs.length > 0) return v;
  const a = v.args[0];
  if (a.kind !== 'num') return v;
  const f = { int: Math.trunc, round: Math.round, abs: Math.abs, float: (x: number) => x }[v.callee];
  if (!f) return v;
  return { kind: 'num', value: f(a.value), int: v.callee !== 'float', at: v.at };
}

/** An ArgList's arguments as syntax nodes: positional ones and keyword ones. */
export function argNodes(call: SyntaxNode, text: (n: SyntaxNode) => string) {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  const list = call.lastChild;
  if (list?.name !== 'ArgList') return { positional, keywords };
  for (const [first, second, third] of argSegments(list)) {
    if (second?.name === 'AssignOp' && third) keywords.set(text(first), third);
    else if (first.name !== '*' && first.name !== '**') positional.push(first);
  }
  return { positional, keywords };
}

export abstract class StatementWalker<R> extends ControlWalker<R> {
  constructor(
    readonly source: string,
    readonly values: ValueReader,
    readonly scope: Scope,
    readonly ctx: ArgContext,
  ) {
    super();
  }

  protected abstract assign(n: SyntaxNode): void;
  /** A call statement: model.compile(...), build_model(). */
  protected abstract expression(n: SyntaxNode): void;
  protected abstract define(name: string, def: SyntaxNode): void;
  protected abstract returns(value: SyntaxNode): void;

  protected text(n: { from: number; to: number }): string {
    return this.source.slice(n.from, n.to);
  }
  protected fail(at: { from: number }, message: string): never {
    throw errorAt(this.source, at.from, message);
  }

  body(n: SyntaxNode): void {
    for (let c = n.firstChild; c; c = c.nextSibling) this.statement(c);
  }

  protected statement(n: SyntaxNode): void {
    switch (n.name) {
      case 'AssignStatement':
        this.assign(n);
        break;
      case 'ExpressionStatement':
        for (let c = n.firstChild; c; c = c.nextSibling) if (c.name === 'CallExpression') this.expression(c);
        break;
      case 'FunctionDefinition': {
        const name = n.getChild('VariableName');
        if (name) this.define(this.text(name), n);
        break;
      }
      case 'ReturnStatement': {
        const v = n.lastChild;
        if (v && v.name !== 'return') this.returns(v);
        break;
      }
      case 'UpdateStatement':
        this.update(n);
        break;
      default:
        this.control(n);
        break;
    }
  }

  /** The branch whose condition holds; every branch from the first unknown condition on (with a note). */
  protected ifStatement(n: SyntaxNode): void {
    const { bodies, unknown } = settledBranches(n, this.values);
    if (unknown) {
      this.ctx.warnings.push(
        `line ${this.source.slice(0, unknown.from).split('\n').length}: whether '${this.text(unknown)}' holds is only ` +
          'known by running the code; read every branch from here (the last assignment wins)',
      );
    }
    for (const body of bodies) this.body(body);
  }

  /** num_filters *= 2 on a number the code knows. */
  protected update(n: SyntaxNode): void {
    const target = n.firstChild;
    const op = target?.nextSibling;
    const value = n.lastChild;
    if (target?.name !== 'VariableName' || op?.name !== 'UpdateOp' || !value) return;
    const name = this.text(target);
    const a = this.scope.get(name);
    const b = this.safeRead(value);
    const o = this.text(op).slice(0, -1);
    let v: number | null = null;
    if (a?.kind === 'num' && b.kind === 'num') {
      v =
        o === '+'
          ? a.value + b.value
          : o === '-'
            ? a.value - b.value
            : o === '*'
              ? a.value * b.value
              : o === '//'
                ? Math.floor(a.value / b.value)
                : o === '/'
                  ? a.value / b.value
                  : null;
    }
    const at = { from: n.from, to: n.to };
    if (v === null) this.scope.set(name, { kind: 'other', text: this.text(n), at });
    else this.scope.set(name, { kind: 'num', value: v, int: Number.isInteger(v) && o !== '/', at });
  }

  protected bodies(n: SyntaxNode): void {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Body') this.body(c);
      else if (n.name === 'StatementGroup') this.statement(c);
    }
  }
}
