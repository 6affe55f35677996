// The Keras code editor: CodeMirror 6 with Python highlighting; the line of an error is marked and gets a
// lint diagnostic; Ctrl/Cmd+Enter applies the code. The linked hover marks the active layer's line, reports
// the hovered line, and reveals a line when its diagram block is clicked.
import { python } from '@codemirror/lang-python';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { keymap } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { CodeError } from '../../store/compile';
import { linkedLines, revealLine, showActiveLine } from './linked-lines';

interface Props {
  value: string;
  error: CodeError | null;
  onChange(code: string): void;
  onApply(): void;
  /** The line of the layer hovered elsewhere (1-based), or null. */
  activeLine?: number | null;
  onHoverLine?(line: number | null): void;
  /** Scroll to and select this line whenever `n` changes. */
  reveal?: { line: number; n: number } | null;
}

const theme = EditorView.theme({
  '&': { backgroundColor: '#fff' },
  '.cm-gutters': { backgroundColor: '#faf9f5', borderRight: '1px solid #e4dfd3', color: '#a09a8d' },
  '.cm-activeLine': { backgroundColor: '#f6f4ee' },
  '.cm-activeLineGutter': { backgroundColor: '#f1eee6' },
  '.cm-line.cm-linked': { backgroundColor: '#fbe9c6', boxShadow: 'inset 3px 0 0 #d08a2e' },
});

export function Editor({ value, error, onChange, onApply, activeLine = null, onHoverLine, reveal }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onApply, onHoverLine });
  handlers.current = { onChange, onApply, onHoverLine };

  // The editor is made once; `value` changes from outside are synced by the next effect.
  // biome-ignore lint/correctness/useExhaustiveDependencies: made once on mount
  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      doc: value,
      extensions: [
        keymap.of([
          {
            key: 'Mod-Enter',
            run: () => {
              handlers.current.onApply();
              return true;
            },
          },
        ]),
        basicSetup,
        python(),
        lintGutter(),
        EditorView.lineWrapping,
        theme,
        EditorView.contentAttributes.of({ 'aria-label': 'Keras model code' }),
        linkedLines((line) => handlers.current.onHoverLine?.(line)),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) handlers.current.onChange(u.state.doc.toString());
        }),
      ],
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const diagnostics: Diagnostic[] = [];
    if (error?.line) {
      const lineNo = Math.min(Math.max(1, error.line), v.state.doc.lines);
      const line = v.state.doc.line(lineNo);
      const from = Math.min(line.to, line.from + Math.max(0, (error.column ?? 1) - 1));
      diagnostics.push({ from, to: Math.max(from, line.to), severity: 'error', message: error.message });
    }
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [error]);

  useEffect(() => {
    if (view.current) showActiveLine(view.current, activeLine);
  }, [activeLine]);

  // Each request once (its `n`), not again when the line of the same request moves with an edit.
  const revealed = useRef(0);
  useEffect(() => {
    if (!view.current || !reveal || reveal.n === revealed.current) return;
    revealed.current = reveal.n;
    revealLine(view.current, reveal.line);
  }, [reveal]);

  return <div className="editor" data-testid="code-editor" ref={host} />;
}
