// What both code readers (the Sequential one and the functional one) do with Python's control flow when
// reading without running: a loop over what the code lists runs pass by pass, any other loop is read once
// deeper (loopDepth > 0: what it adds cannot be counted), blocks are read in order, if/elif/else by the
// reader's own rule.
import type { SyntaxNode } from '@lezer/common';
import { hasJump, loopPasses } from './loops';
import type { Scope, Value, ValueReader } from './python-values';

/** `R`: what a function's `return` gives the reader (a model, a tensor). */
export abstract class ControlWalker<R> {
  protected loopDepth = 0;
  /** What the function being read returned so far (null outside a call, or before its `return`). */
  protected returned: R | null = null;
  abstract readonly values: ValueReader;
  abstract readonly scope: Scope;

  abstract body(n: SyntaxNode): void;
  protected abstract bodies(n: SyntaxNode): void;
  protected abstract ifStatement(n: SyntaxNode): void;
  /** A loop variable takes a new value: whatever the reader bound to it (a model, a tensor) is gone. */
  protected abstract unbind(name: string): void;

  /** Reads a control statement; false when `n` is not one. */
  protected control(n: SyntaxNode): boolean {
    switch (n.name) {
      case 'ForStatement':
        this.forStatement(n);
        return true;
      case 'WhileStatement':
        this.loopDepth++;
        this.bodies(n);
        this.loopDepth--;
        return true;
      case 'IfStatement':
        this.ifStatement(n);
        return true;
      case 'WithStatement':
      case 'TryStatement':
      case 'DecoratedStatement':
      case 'Body':
      case 'StatementGroup':
        this.bodies(n);
        return true;
      default:
        return false;
    }
  }

  /** A loop over what the code lists (a literal list, range(n), enumerate, zip) runs pass by pass. */
  protected forStatement(n: SyntaxNode): void {
    const body = n.getChild('Body');
    const loop = body && !hasJump(body) ? loopPasses(n, this.values) : null;
    if (!body || !loop) {
      this.loopDepth++;
      this.bodies(n);
      this.loopDepth--;
      return;
    }
    for (const pass of loop.passes) {
      loop.names.forEach((name, i) => {
        this.unbind(name);
        this.scope.set(name, pass[i]);
      });
      this.body(body);
    }
  }

  /**
   * Reads a function's body as one call, its parameters already bound by the caller: `return` and the loop
   * depth start afresh and are restored after; `leave` then undoes the caller's binding (also when reading
   * fails). What the body returned, or null.
   */
  protected callBody(def: SyntaxNode, leave: () => void): R | null {
    const state = [this.returned, this.loopDepth] as const;
    this.returned = null;
    this.loopDepth = 0;
    try {
      const body = def.getChild('Body');
      if (body) this.body(body);
      return this.returned;
    } finally {
      [this.returned, this.loopDepth] = state;
      leave();
    }
  }

  /** The value of an expression, or an opaque one when it cannot be read. */
  protected safeRead(n: SyntaxNode): Value {
    try {
      return this.values.read(n);
    } catch {
      return { kind: 'other', text: this.values.text(n), at: { from: n.from, to: n.to } };
    }
  }
}
