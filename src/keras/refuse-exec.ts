// Code that asks to run something (eval, exec, __import__, os.system...) is refused with its place, so a
// person never believes it ran: Paperweight reads Keras code to build a model and never executes any of it.
import type { Tree } from '@lezer/common';
import { errorAt } from './errors';

const CALLS = new Set([
  'eval',
  'exec',
  'compile',
  '__import__',
  'open',
  'getattr',
  'setattr',
  'globals',
  'locals',
  'vars',
  'input',
  'breakpoint',
]);
const MODULES = new Set(['os', 'subprocess', 'sys', 'shutil', 'builtins', 'importlib', 'socket', 'pickle']);

/** Names bound by `import os as o` (a module) and `from os import system as run` (a function) to refuse too. */
function importedNames(source: string, tree: Tree): { modules: Set<string>; calls: Set<string> } {
  const modules = new Set(MODULES);
  const calls = new Set(CALLS);
  tree.iterate({
    enter(n) {
      if (n.name !== 'ImportStatement') return;
      const node = n.node;
      const text = (c: { from: number; to: number }) => source.slice(c.from, c.to);
      const from = node.getChild('from') ? node.getChild('VariableName') : null;
      const fromRefused = from !== null && MODULES.has(text(from));
      for (let c = node.getChild('import'); c; c = c.nextSibling) {
        if (c.name !== 'VariableName') continue;
        const alias = c.nextSibling?.name === 'as' ? c.nextSibling.nextSibling : null;
        const bound = alias?.name === 'VariableName' ? text(alias) : text(c);
        if (fromRefused) calls.add(bound);
        else if (!from && MODULES.has(text(c)) && alias) modules.add(bound);
        if (alias) c = alias;
      }
      return false;
    },
  });
  return { modules, calls };
}

export function refuseExecution(source: string, tree: Tree): void {
  const { modules, calls } = importedNames(source, tree);
  tree.iterate({
    enter(n) {
      if (n.name !== 'CallExpression') return;
      const callee = n.node.firstChild;
      if (!callee) return;
      const text = source.slice(callee.from, callee.to);
      const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? '';
      const refused =
        (callee.name === 'VariableName' && calls.has(text)) ||
        (callee.name === 'MemberExpression' && (modules.has(root) || root === '__import__'));
      if (refused) {
        throw errorAt(
          source,
          n.from,
          `${text}(...) is refused: Paperweight reads Keras code to build the model and never runs it; ` +
            'remove this call',
        );
      }
    },
  });
}
