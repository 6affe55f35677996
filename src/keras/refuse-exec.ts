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

export function refuseExecution(source: string, tree: Tree): void {
  tree.iterate({
    enter(n) {
      if (n.name !== 'CallExpression') return;
      const callee = n.node.firstChild;
      if (!callee) return;
      const text = source.slice(callee.from, callee.to);
      const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? '';
      const refused =
        (callee.name === 'VariableName' && CALLS.has(text)) ||
        (callee.name === 'MemberExpression' && (MODULES.has(root) || root === '__import__'));
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
