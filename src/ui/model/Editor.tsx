// The Keras code editor: CodeMirror 6 with Python highlighting; the line of an error is marked and gets a
// lint diagnostic; Ctrl/Cmd+Enter applies the code.
import { python } from '@codemirror/lang-python';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { keymap } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { CodeError } from '../../store/compile';

interface Props {
  value: string;
  error: CodeError | null;
  onChange(code: string): void;
  onApply(): void;
}

const theme = EditorView.theme({
  '&': { backgroundColor: '#fff' },
  '.cm-gutters': { backgroundColor: '#faf9f5', borderRight: '1px solid #e4dfd3', color: '#a09a8d' },
  '.cm-activeLine': { backgroundColor: '#f6f4ee' },
  '.cm-activeLineGutter': { backgroundColor: '#f1eee6' },
});

export function Editor({ value, error, onChange, onApply }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onApply });
  handlers.current = { onChange, onApply };

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

  return <div className="editor" data-testid="code-editor" ref={host} />;
}
