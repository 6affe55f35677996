// Python syntax errors from the @lezer/python tree (error nodes, marked ⚠ when printed), reported at their
// line and column with a hint about the usual cause: an unclosed bracket before the error.
import type { Tree } from '@lezer/common';
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
