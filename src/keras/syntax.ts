// Python syntax errors from the @lezer/python tree (error nodes, marked ⚠ when printed), reported at their
// line and column with a hint about the usual cause: an unclosed bracket before the error.
import type { SyntaxNode, Tree } from '@lezer/common';
import { errorAt, KerasImportError, lineColumn } from './errors';

/** Opening brackets still open at `end`, skipping strings and comments. */
function openBrackets(source: string, end: number): number[] {
  const stack: number[] = [];
  let i = 0;
  while (i < end) {
    const c = source[i];
    if (c === '#') {
      while (i < end && source[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = source.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      while (i < end && !source.startsWith(quote, i)) {
        if (source[i] === '\\') i++;
        else if (!triple && source[i] === '\n') break;
        i++;
      }
      i += quote.length;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push(i);
    else if (c === ')' || c === ']' || c === '}') stack.pop();
    i++;
  }
  return stack;
}

export function checkSyntax(source: string, tree: Tree): void {
  let bad: { from: number; to: number } | null = null;
  tree.iterate({
    enter(n) {
      if (bad) return false;
      if (n.type.isError) {
        bad = { from: n.from, to: n.to };
        return false;
      }
      return undefined;
    },
  });
  if (!bad) return;
  const { from, to } = bad as { from: number; to: number };
  // Error nodes are often empty: show the token that starts where the parse broke.
  const near = /^[ \t]*(\w+|\S)/.exec(source.slice(from, Math.max(to, from + 40)))?.[1] ?? '';
  const atEnd = source.slice(from).trim() === '';
  let message = atEnd ? 'Python syntax error at the end of the code' : `Python syntax error near '${near}'`;
  // An unclosed bracket is the likely cause only when it was opened on an earlier line than the error.
  const open = openBrackets(source, from).filter(
    (o) => lineColumn(source, o).line < lineColumn(source, from).line,
  );
  if (open.length > 0) {
    const o = open[open.length - 1];
    const { line, column } = lineColumn(source, o);
    message += `: the '${source[o]}' at line ${line}, column ${column} is not closed`;
  } else if (!atEnd) {
    message += ': check for a missing comma, quote or bracket';
  }
  throw errorAt(source, from, message);
}

export { KerasImportError };

/** Source with `1.` written `1.0`, and the way back from its columns to the source's. */
export interface FloatPatch {
  text: string;
  /** The source's 1-based column of a 1-based (line, column) in `text`. */
  column(line: number, column: number): number;
}

/**
 * Python reads `1.`, `1./255` and `1.e-3` as floats, but the @lezer/python grammar wants a digit after the
 * dot and reports a syntax error (or reads `1.e` as an attribute). Writing a `0` after such dots, outside
 * strings and comments, gives the grammar what Python means; columns after a patch on the same line shift by
 * one, which `column` undoes for messages. Lines never change.
 */
export function completeTrailingDotFloats(source: string): FloatPatch {
  const inserted = new Map<number, number[]>(); // line -> 1-based columns of the added '0' in the patched text
  let out = '';
  let last = 0;
  let line = 1;
  let lineStart = 0;
  let shift = 0; // characters added so far on this line
  let i = 0;
  const n = source.length;
  const isWord = (c: string) => /[\w\u0080-\uffff]/.test(c);
  while (i < n) {
    const c = source[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      shift = 0;
      i++;
    } else if (c === '#') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const quote = source.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length;
      while (i < n && !source.startsWith(quote, i)) {
        if (source[i] === '\\') i++;
        else if (quote.length === 1 && source[i] === '\n') break;
        else if (source[i] === '\n') {
          line++;
          lineStart = i + 1;
          shift = 0;
        }
        i++;
      }
      if (source.startsWith(quote, i)) i += quote.length;
    } else if (/[0-9]/.test(c) && (i === 0 || source[i - 1] !== '.')) {
      if (c === '0' && /[xXoObB]/.test(source[i + 1] ?? '')) {
        while (i < n && isWord(source[i])) i++;
        continue;
      }
      while (i < n && /[0-9_]/.test(source[i])) i++;
      if (source[i] === '.' && !/[0-9]/.test(source[i + 1] ?? '')) {
        out += `${source.slice(last, i + 1)}0`;
        last = i + 1;
        const col = i + 1 - lineStart + shift + 1; // the '0' sits right after the dot
        inserted.set(line, [...(inserted.get(line) ?? []), col]);
        shift++;
        i++;
      }
    } else if (isWord(c)) {
      while (i < n && isWord(source[i])) i++;
    } else {
      i++;
    }
  }
  out += source.slice(last);
  return {
    text: out,
    column: (l, col) => col - (inserted.get(l) ?? []).filter((p) => p < col).length,
  };
}

/**
 * An ArgList's arguments, each as its run of nodes: the list is flat, so `a, b=c, *d` arrives as a, ',',
 * VariableName b, AssignOp, c, ',', '*', d and comes out as [a], [b, =, c], [*, d]. Empty runs are dropped.
 */
export function argSegments(list: SyntaxNode): SyntaxNode[][] {
  const segments: SyntaxNode[][] = [];
  let segment: SyntaxNode[] = [];
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === '(' || c.name === ')' || c.name === 'Comment' || c.type.isError) continue;
    if (c.name === ',') {
      if (segment.length) segments.push(segment);
      segment = [];
    } else segment.push(c);
  }
  if (segment.length) segments.push(segment);
  return segments;
}
