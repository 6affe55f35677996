// LearningRateScheduler's Python function, read without running it: a lambda, or a `def f(epoch, lr)` whose
// body is assignments, if/elif/else and returns over numbers, epoch, lr, arithmetic, comparisons and a few math
// functions (math./np./tf.math./ops. exp, log, sqrt, pow, floor, ...). It becomes an LrExpr tree, which the
// trainer walks (src/train/lr-schedule.ts). Anything else is refused with what could not be read.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { LrExpr, LrFunction } from '../model';
import { baseName, type Value } from './python-values';

export class ScheduleError extends Error {}

const FUNCTIONS: Record<string, LrFunction> = {
  exp: 'exp',
  log: 'log',
  sqrt: 'sqrt',
  floor: 'floor',
  ceil: 'ceil',
  abs: 'abs',
  fabs: 'abs',
  cos: 'cos',
  sin: 'sin',
  min: 'min',
  minimum: 'min',
  max: 'max',
  maximum: 'max',
  pow: 'pow',
  power: 'pow',
  int: 'trunc',
  float: 'float',
};
const MODULES = new Set(['', 'math', 'np', 'numpy', 'tf', 'tf.math', 'ops', 'keras.ops', 'tf.keras.ops']);
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
const BINARY = new Set(['+', '-', '*', '/', '//', '%', '**', '<', '<=', '>', '>=', '==', '!=', 'and', 'or']);

type Env = Map<string, LrExpr>;

class Reader {
  constructor(readonly text: string) {}

  src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  fail(n: SyntaxNode, why: string): never {
    throw new ScheduleError(`${why} (at \`${this.src(n).split('\n')[0].trim()}\`)`);
  }

  kids(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
    return out;
  }

  dotted(n: SyntaxNode): string | null {
    if (n.name === 'VariableName') return this.src(n);
    if (n.name !== 'MemberExpression') return null;
    const [obj, , prop] = this.kids(n);
    const base = obj ? this.dotted(obj) : null;
    return base === null || !prop ? null : `${base}.${this.src(prop)}`;
  }

  expr(n: SyntaxNode, env: Env): LrExpr {
    const k = this.kids(n);
    switch (n.name) {
      case 'Number': {
        const v = Number(this.src(n).replace(/_/g, ''));
        if (!Number.isFinite(v)) this.fail(n, 'a number that is not a plain real number');
        return { op: 'num', value: v };
      }
      case 'Boolean':
        return { op: 'num', value: this.src(n) === 'True' ? 1 : 0 };
      case 'VariableName': {
        const v = env.get(this.src(n));
        if (!v) {
          this.fail(
            n,
            `'${this.src(n)}' is not a parameter or a local of the schedule, and its value cannot be known ` +
              'without running the code; write the number into the function',
          );
        }
        return v;
      }
      case 'MemberExpression': {
        const name = this.dotted(n) ?? '';
        const dot = name.lastIndexOf('.');
        if (MODULES.has(name.slice(0, dot)) && CONSTANTS[name.slice(dot + 1)] !== undefined) {
          return { op: 'num', value: CONSTANTS[name.slice(dot + 1)] };
        }
        return this.fail(n, `'${name}' cannot be read without running the code`);
      }
      case 'ParenthesizedExpression':
        return this.expr(k[1], env);
      case 'UnaryExpression': {
        const op = this.src(k[0]);
        const a = this.expr(k[k.length - 1], env);
        if (op === '-') return { op: 'neg', a };
        if (op === '+') return a;
        if (op === 'not') return { op: 'not', a };
        return this.fail(n, `the operator '${op}'`);
      }
      case 'BinaryExpression': {
        const op = this.src(k[1]);
        if (!BINARY.has(op) || k.length !== 3) this.fail(n, `the operator '${op}'`);
        const a = this.expr(k[0], env);
        const b = this.expr(k[2], env);
        return { op, a, b } as LrExpr;
      }
      case 'ConditionalExpression':
        // then 'if' cond 'else' otherwise
        return {
          op: 'if',
          cond: this.expr(k[2], env),
          yes: this.expr(k[0], env),
          no: this.expr(k[4], env),
        };
      case 'CallExpression': {
        const name = this.dotted(k[0]) ?? '';
        const dot = name.lastIndexOf('.');
        const fn = FUNCTIONS[baseName(name)];
        if (!fn || !MODULES.has(dot < 0 ? '' : name.slice(0, dot))) {
          this.fail(
            n,
            `the function '${name || this.src(k[0])}' (supported: exp, log, sqrt, pow, floor, ceil, abs, min, max, cos, sin, int, float)`,
          );
        }
        const args = this.kids(k[1]).filter((c) => !['(', ')', ','].includes(c.name));
        if (args.some((a) => a.name === 'AssignOp')) this.fail(n, 'keyword arguments');
        return { op: 'call', fn, args: args.map((a) => this.expr(a, env)) };
      }
      default:
        return this.fail(n, `the expression '${this.src(n)}'`);
    }
  }

  statements(body: SyntaxNode): SyntaxNode[] {
    return this.kids(body).filter((c) => c.name !== ':');
  }

  block(stmts: SyntaxNode[], env: Env): LrExpr {
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      const rest = stmts.slice(i + 1);
      const k = this.kids(s);
      switch (s.name) {
        case 'ReturnStatement':
          if (k.length < 2) this.fail(s, 'a bare return');
          return this.expr(k[1], env);
        case 'AssignStatement': {
          if (k.length !== 3 || k[0].name !== 'VariableName')
            this.fail(s, 'an assignment to something other than one name');
          env = new Map(env).set(this.src(k[0]), this.expr(k[2], env));
          break;
        }
        case 'UpdateStatement': {
          const name = this.src(k[0]);
          const op = this.src(k[1]).replace('=', '');
          const old = env.get(name);
          if (k[0].name !== 'VariableName' || !old || !BINARY.has(op)) this.fail(s, 'this update');
          env = new Map(env).set(name, { op, a: old, b: this.expr(k[2], env) } as LrExpr);
          break;
        }
        case 'IfStatement':
          return this.ifStatement(s, rest, env);
        case 'PassStatement':
          break;
        case 'ExpressionStatement': {
          // Docstrings and print(...) change nothing.
          const e = k[0];
          const isPrint = e?.name === 'CallExpression' && this.dotted(this.kids(e)[0]) === 'print';
          if (e?.name !== 'String' && !isPrint)
            this.fail(s, 'a statement that is not an assignment, if or return');
          break;
        }
        default:
          this.fail(s, `the statement '${s.name}' (only assignments, if/elif/else and return are read)`);
      }
    }
    throw new ScheduleError('the schedule can end without returning a learning rate');
  }

  private ifStatement(s: SyntaxNode, rest: SyntaxNode[], env: Env): LrExpr {
    const k = this.kids(s);
    const branches: { cond: SyntaxNode; body: SyntaxNode }[] = [];
    let otherwise: SyntaxNode | null = null;
    for (let i = 0; i < k.length; i++) {
      const t = k[i].name;
      if (t === 'if' || t === 'elif') {
        branches.push({ cond: k[i + 1], body: k[i + 2] });
        i += 2;
      } else if (t === 'else') {
        otherwise = k[i + 1];
        i += 1;
      }
    }
    let acc = this.block(otherwise ? [...this.statements(otherwise), ...rest] : rest, env);
    for (const b of branches.reverse()) {
      const yes = this.block([...this.statements(b.body), ...rest], env);
      acc = { op: 'if', cond: this.expr(b.cond, env), yes, no: acc };
    }
    return acc;
  }

  params(list: SyntaxNode): Env {
    const names = this.kids(list).filter((c) => !['(', ')', ','].includes(c.name));
    if (names.some((n) => n.name !== 'VariableName') || names.length < 1 || names.length > 2) {
      this.fail(list, 'parameters other than (epoch) or (epoch, lr)');
    }
    const env: Env = new Map();
    env.set(this.src(names[0]), { op: 'var', name: 'epoch' });
    if (names[1]) env.set(this.src(names[1]), { op: 'var', name: 'lr' });
    return env;
  }
}

function findDef(tree: SyntaxNode, source: string, name: string): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  const c = tree.cursor();
  do {
    if (c.name === 'FunctionDefinition') {
      const id = c.node.getChild('VariableName');
      if (id && source.slice(id.from, id.to) === name) found = c.node;
    }
  } while (c.next());
  return found;
}

/** The schedule passed to LearningRateScheduler (a lambda or the name of a def in `source`). */
export function readSchedule(v: Value, source: string): { schedule: LrExpr; source: string } {
  if (v.kind === 'other' && /^\s*lambda\b/.test(v.text)) {
    const r = new Reader(v.text);
    const lambda = findNode(parser.parse(v.text).topNode, 'LambdaExpression');
    if (!lambda) throw new ScheduleError('the lambda could not be read');
    const k = r.kids(lambda);
    const list = k.find((c) => c.name === 'ParamList');
    if (!list) throw new ScheduleError('a lambda without parameters (Keras calls schedule(epoch, lr))');
    return { schedule: r.expr(k[k.length - 1], r.params(list)), source: v.text };
  }
  if (v.kind === 'ref') {
    const tree = parser.parse(source).topNode;
    const def = findDef(tree, source, baseName(v.name));
    if (!def) {
      throw new ScheduleError(
        `'${v.name}' is not a function defined in this code, so it cannot be read without running it`,
      );
    }
    const r = new Reader(source);
    const list = def.getChild('ParamList');
    const body = def.getChild('Body');
    if (!list || !body) throw new ScheduleError(`the function '${v.name}' could not be read`);
    return { schedule: r.block(r.statements(body), r.params(list)), source: source.slice(def.from, def.to) };
  }
  throw new ScheduleError('the schedule must be a lambda or the name of a function defined in the code');
}

function findNode(n: SyntaxNode, name: string): SyntaxNode | null {
  if (n.name === name) return n;
  for (let c = n.firstChild; c; c = c.nextSibling) {
    const f = findNode(c, name);
    if (f) return f;
  }
  return null;
}
