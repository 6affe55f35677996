// CodeMirror pieces of the linked hover: the active layer's line carries `data-active="true"` (a line
// decoration, so CodeMirror keeps it through its own re-renders), hovering a line reports its number, and a
// line can be revealed (scrolled to and selected).
import { EditorSelection, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView } from '@codemirror/view';

const setActiveLine = StateEffect.define<number | null>();
const activeDeco = Decoration.line({ attributes: { 'data-active': 'true' }, class: 'cm-linked' });

const activeField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setActiveLine)) continue;
      const n = e.value;
      next =
        n === null || n < 1 || n > tr.state.doc.lines
          ? Decoration.none
          : Decoration.set([activeDeco.range(tr.state.doc.line(n).from)]);
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The extension: the active-line field and the hover listener (called with null when the mouse leaves). */
export function linkedLines(onHoverLine: (line: number | null) => void) {
  let last: number | null = null;
  const report = (line: number | null) => {
    if (line === last) return;
    last = line;
    onHoverLine(line);
  };
  return [
    activeField,
    EditorView.domEventHandlers({
      mousemove(e, view) {
        const pos = view.posAtCoords({ x: e.clientX, y: e.clientY }, false);
        report(pos === null ? null : view.state.doc.lineAt(pos).number);
      },
      mouseleave() {
        report(null);
      },
    }),
  ];
}

export function showActiveLine(view: EditorView, line: number | null): void {
  view.dispatch({ effects: setActiveLine.of(line) });
}

/** Scrolls to a line, selects it and focuses the editor (the selection is then the page's selection too). */
export function revealLine(view: EditorView, line: number): void {
  if (line < 1 || line > view.state.doc.lines) return;
  const l = view.state.doc.line(line);
  view.dispatch({ selection: EditorSelection.range(l.from, l.to), scrollIntoView: true });
  view.focus();
}
