// The model panel: presets, the Keras code editor, Apply, Keras JSON import, and why the code fails.
import { useRef } from 'react';
import { PRESETS } from '../../model/code-presets';
import { useModel } from '../../store/model';
import { useUi } from '../../store/ui';
import { Editor } from './Editor';
import { importJsonFile } from './import-json';
import { layerAtLine } from './layer-lines';
import { useLayerLines } from './linked';

export function ModelPanel() {
  const code = useModel((s) => s.code);
  const error = useModel((s) => s.error);
  const warnings = useModel((s) => s.warnings);
  const presetId = useModel((s) => s.presetId);
  const dirty = useModel((s) => s.code !== s.appliedCode);
  const { setCode, apply, choosePreset } = useModel.getState();
  const jsonInput = useRef<HTMLInputElement>(null);
  const lines = useLayerLines();
  const editorLayer = useRef<string | null>(null);
  const activeLayer = useUi((s) => s.activeLayer);
  const reveal = useUi((s) => s.reveal);
  const revealLine =
    reveal && lines.has(reveal.layer) ? { line: lines.get(reveal.layer)!, n: reveal.n } : null;

  return (
    <section className="card" aria-labelledby="model-title">
      <div className="card-head">
        <h2 id="model-title">Model</h2>
        <span className="spacer" />
        <span className="preset">
          <label className="small muted" htmlFor="preset-select">
            Preset
          </label>
          <select
            id="preset-select"
            data-testid="preset-select"
            value={presetId ?? ''}
            onChange={(e) => choosePreset(e.target.value)}
          >
            {presetId === null && <option value="">(your code)</option>}
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </span>
      </div>
      <Editor
        value={code}
        error={error}
        onChange={setCode}
        onApply={() => apply()}
        activeLine={activeLayer === null ? null : (lines.get(activeLayer) ?? null)}
        onHoverLine={(line) => {
          // Leaving the editor for a summary row: React's enter of the row can come before CodeMirror's
          // leave, so the editor only clears what it set itself.
          const ui = useUi.getState();
          const name = line === null ? null : layerAtLine(lines, line);
          if (name !== null) ui.setActiveLayer(name);
          else if (ui.activeLayer === editorLayer.current) ui.setActiveLayer(null);
          editorLayer.current = name;
        }}
        reveal={revealLine}
      />
      <div className="editor-actions">
        <button
          type="button"
          className="btn primary"
          data-testid="apply-code"
          onClick={() => apply()}
          title="Build the model from the code (Ctrl+Enter)"
        >
          Apply code
        </button>
        <span className="small muted">{dirty ? 'edited — Ctrl+Enter to apply' : 'Ctrl+Enter applies'}</span>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={() => jsonInput.current?.click()}>
          Import Keras model…
        </button>
        <input
          ref={jsonInput}
          type="file"
          accept=".json,.keras,.h5,.hdf5,application/json"
          className="visually-hidden"
          aria-label="Import a Keras model: JSON, .keras or .h5"
          tabIndex={-1}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importJsonFile(f);
            e.target.value = '';
          }}
        />
      </div>
      {error && (
        <div className="model-error" data-testid="model-error" role="alert">
          {error.line !== null && !error.message.startsWith('line ')
            ? `line ${error.line}, column ${error.column ?? 1}: ${error.message}`
            : error.message}
        </div>
      )}
      {warnings.map((w) => (
        <div className="model-warn" key={w}>
          {w}
        </div>
      ))}
    </section>
  );
}
