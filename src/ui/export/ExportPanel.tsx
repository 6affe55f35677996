// Downloads: Keras code, Keras JSON, TF.js weights (model.json + .bin), the diagram, the history as CSV.
import { exportCode, exportJson, exportTfjs } from '../../store/compile';
import { useModel } from '../../store/model';
import { useTraining } from '../../store/training';
import { useUi } from '../../store/ui';
import { trainingConfig } from '../../worker/client';
import { historyCsv } from './csv';
import { downloadBlob, downloadText } from './download';

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
          type="button"
          className="btn small"
          disabled={!built || !trained}
          title={trained ? '' : 'Train the model first'}
          onClick={() =>
            guard('the TF.js weights', () => {
              const { modelJson, weightsBin } = exportTfjs(built!, weights!);
              downloadText(modelJson, 'model.json', 'application/json');
              downloadBlob(
                new Blob([weightsBin as BlobPart], { type: 'application/octet-stream' }),
                'group1-shard1of1.bin',
              );
            })
          }
        >
          TF.js weights
        </button>
        <button
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
