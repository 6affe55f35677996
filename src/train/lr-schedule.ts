// Evaluates a learning-rate schedule read from Python (LrExpr, a tree of numbers, epoch, lr, arithmetic,
// comparisons and a few math functions) with Python's semantics: true division, floor division and modulo
// rounding towards minus infinity, 0 and NaN falsy. A plain tree walk: no code is generated or run.
import type { LrExpr, LrFunction } from '../model/training-config';

const FUNCTIONS: Record<LrFunction, (...a: number[]) => number> = {
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  floor: Math.floor,
  ceil: Math.ceil,
  abs: Math.abs,
  cos: Math.cos,
  sin: Math.sin,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  trunc: Math.trunc,
  float: (v) => v,
};

const truthy = (v: number) => v !== 0 && !Number.isNaN(v);

export function evalLr(e: LrExpr, epoch: number, lr: number): number {
  const ev = (x: LrExpr) => evalLr(x, epoch, lr);
  switch (e.op) {
    case 'num':
      return e.value;
    case 'var':
      return e.name === 'epoch' ? epoch : lr;
    case '+':
      return ev(e.a) + ev(e.b);
    case '-':
      return ev(e.a) - ev(e.b);
    case '*':
      return ev(e.a) * ev(e.b);
    case '/':
      return ev(e.a) / ev(e.b);
    case '//':
      return Math.floor(ev(e.a) / ev(e.b));
    case '%': {
      const a = ev(e.a);
      const b = ev(e.b);
      return a - b * Math.floor(a / b);
    }
    case '**':
      return ev(e.a) ** ev(e.b);
    case 'neg':
      return -ev(e.a);
    case '<':
      return +(ev(e.a) < ev(e.b));
    case '<=':
      return +(ev(e.a) <= ev(e.b));
    case '>':
      return +(ev(e.a) > ev(e.b));
    case '>=':
      return +(ev(e.a) >= ev(e.b));
    case '==':
      return +(ev(e.a) === ev(e.b));
    case '!=':
      return +(ev(e.a) !== ev(e.b));
    case 'and': {
      const a = ev(e.a);
      return truthy(a) ? ev(e.b) : a;
    }
    case 'or': {
      const a = ev(e.a);
      return truthy(a) ? a : ev(e.b);
    }
    case 'not':
      return +!truthy(ev(e.a));
    case 'if':
      return truthy(ev(e.cond)) ? ev(e.yes) : ev(e.no);
    case 'call':
      return FUNCTIONS[e.fn](...e.args.map(ev));
  }
}
