// Downloads: Keras code, Keras JSON, TF.js weights (model.json + .bin in a zip), .keras/.h5/.onnx model
// files, the history as CSV.
import { strToU8, zipSync } from 'fflate';
import type { ReactNode } from 'react';
import { exportCode, exportJson, exportTfjs, TFJS_WEIGHTS_FILE } from '../../store/compile';
import { useModel } from '../../store/model';
import { currentTrainingConfig as trainingConfig, useTraining } from '../../store/training';
import { useUi } from '../../store/ui';
import { useAccuracyName } from '../common/metrics';
import { historyCsv } from './csv';
import { downloadBlob, downloadText } from './download';
import { ModelFileExports } from './ModelFileExports';

function guard(what: string, f: () => void) {
  try {
    f();
  } catch (e) {
    useUi.getState().setAppError(`Could not export ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A download button; a failed export says what could not be exported and why. */
function ExportButton(props: {
  id: string;
  what: string;
  disabled: boolean;
  title?: string;
  onExport(): void;
  children: ReactNode;
}) {
  return (
    <button
      data-testid={props.id}
      type="button"
      className="btn small"
      disabled={props.disabled}
      title={props.title}
      onClick={() => guard(props.what, props.onExport)}
    >
      {props.children}
    </button>
  );
}

export function ExportPanel() {
  const built = useModel((s) => s.built);
  const weights = useTraining((s) => s.weights);
  const trained = useTraining((s) => s.weights !== null && s.weightsCode === useModel.getState().appliedCode);
  const epochs = useTraining((s) => s.epochs);
  const accuracyName = useAccuracyName();
  return (
    <section className="card" aria-labelledby="export-title">
      <div className="card-head">
        <h2 id="export-title">Export</h2>
        <span className="muted small">carry on in Keras or TF.js</span>
      </div>
      <div className="export-buttons">
        <ExportButton
          id="export-code"
          what="the Keras code"
          disabled={!built}
          onExport={() => downloadText(exportCode(built!, trainingConfig()), 'model.py', 'text/x-python')}
        >
          Keras code (.py)
        </ExportButton>
        <ExportButton
          id="export-json"
          what="the Keras JSON"
          disabled={!built}
          onExport={() => downloadText(exportJson(built!), 'model.json', 'application/json')}
        >
          Keras JSON
        </ExportButton>
        <ExportButton
          id="export-tfjs"
          what="the TF.js weights"
          disabled={!built || !trained}
          title={trained ? '' : 'Train the model first'}
          onExport={() => {
            // One zip with model.json and its shard: browsers block a second automatic download.
            const { modelJson, weightsBin } = exportTfjs(built!, weights!);
            const zip = zipSync(
              { 'model.json': strToU8(modelJson), [TFJS_WEIGHTS_FILE]: weightsBin },
              { level: 0 },
            );
            downloadBlob(new Blob([zip as BlobPart], { type: 'application/zip' }), 'model-tfjs.zip');
          }}
        >
          TF.js weights (.zip)
        </ExportButton>
        <ModelFileExports />
        <button
          data-testid="export-csv"
          type="button"
          className="btn small"
          disabled={epochs.length === 0}
          onClick={() => downloadText(historyCsv(epochs, accuracyName), 'history.csv', 'text/csv')}
        >
          History (.csv)
        </button>
      </div>
      <div className="small muted" style={{ marginTop: 6 }}>
        The diagram exports as SVG or PNG from its own panel.
      </div>
    </section>
  );
}
