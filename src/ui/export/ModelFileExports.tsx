// The trained model as a file: Keras 3 .keras, Keras 2 .h5 (both open with keras.models.load_model) and ONNX
// (opset 13, NHWC input scaled as the page trains). The writers load on first click.
import { useModel } from '../../store/model';
import { currentTrainingConfig, useTraining } from '../../store/training';
import { useUi } from '../../store/ui';
import { downloadBlob } from './download';

type Format = 'keras' | 'h5' | 'onnx';

const LABEL: Record<Format, string> = {
  keras: 'Keras 3 (.keras)',
  h5: 'Keras 2 (.h5)',
  onnx: 'ONNX (.onnx)',
};

async function save(format: Format): Promise<void> {
  const { built } = useModel.getState();
  const { weights } = useTraining.getState();
  if (!built || !weights) return;
  try {
    const files = await import('../../keras/model-files');
    const training = currentTrainingConfig();
    const bytes =
      format === 'keras'
        ? await files.exportKerasFile(built, weights, training)
        : format === 'h5'
          ? await files.exportKerasH5(built, weights, training)
          : files.exportOnnx(built, weights);
    const type = format === 'keras' ? 'application/zip' : 'application/octet-stream';
    downloadBlob(new Blob([bytes as BlobPart], { type }), `${built.name}.${format}`);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    useUi.getState().setAppError(`Could not export the ${LABEL[format]} file: ${msg}`);
  }
}

export function ModelFileExports() {
  const built = useModel((s) => s.built);
  const trained = useTraining((s) => s.weights !== null && s.weightsCode === useModel.getState().appliedCode);
  return (
    <>
      {(['keras', 'h5', 'onnx'] as const).map((f) => (
        <button
          key={f}
          data-testid={`export-${f}`}
          type="button"
          className="btn small"
          disabled={!built || !trained}
          title={trained ? '' : 'Train the model (or load a .keras/.h5 file) first'}
          onClick={() => void save(f)}
        >
          {LABEL[f]}
        </button>
      ))}
    </>
  );
}
