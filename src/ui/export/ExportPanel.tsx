// Downloads: Keras code, Keras JSON, TF.js weights (model.json + .bin in a zip), .keras/.h5/.onnx model
// files, the history as CSV.
import { strToU8, zipSync } from 'fflate';
import { exportCode, exportJson, exportTfjs, TFJS_WEIGHTS_FILE } from '../../store/compile';
import { useModel } from '../../store/model';
import { currentTrainingConfig as trainingConfig, useTraining } from '../../store/training';
import { useUi } from '../../store/ui';
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

export function ExportPanel() {
  const built = useModel((s) => s.built);
  const weights = useTraining((s) => s.weights);
  const trained = useTraining((s) => s.weights !== null && s.weightsCode === useModel.getState().appliedCode);
  const epochs = useTraining((s) => s.epochs);
  return (
    <section className="card" aria-labelledby="export-title">
      <div className="card-head">
        <h2 id="export-title">Export</h2>
        <span className="muted small">carry on in Keras or TF.js</span>
      </div>
      <div className="export-buttons">
        <button
          data-testid="export-code"
          type="button"
          className="btn small"
          disabled={!built}
          onClick={() =>
            guard('the Keras code', () =>
              downloadText(exportCode(built!, trainingConfig()), 'model.py', 'text/x-python'),
            )
          }
        >
          Keras code (.py)
        </button>
        <button
          data-testid="export-json"
          type="button"
          className="btn small"
          disabled={!built}
          onClick={() =>
            guard('the Keras JSON', () => downloadText(exportJson(built!), 'model.json', 'application/json'))
          }
        >
          Keras JSON
        </button>
        <button
          data-testid="export-tfjs"
          type="button"
          className="btn small"
          disabled={!built || !trained}
          title={trained ? '' : 'Train the model first'}
          onClick={() =>
            guard('the TF.js weights', () => {
              // One zip with model.json and its shard: browsers block a second automatic download.
              const { modelJson, weightsBin } = exportTfjs(built!, weights!);
              const zip = zipSync(
                { 'model.json': strToU8(modelJson), [TFJS_WEIGHTS_FILE]: weightsBin },
                { level: 0 },
              );
              downloadBlob(new Blob([zip as BlobPart], { type: 'application/zip' }), 'model-tfjs.zip');
            })
          }
        >
          TF.js weights (.zip)
        </button>
        <ModelFileExports />
        <button
          data-testid="export-csv"
          type="button"
          className="btn small"
          disabled={epochs.length === 0}
          onClick={() => downloadText(historyCsv(epochs), 'history.csv', 'text/csv')}
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
