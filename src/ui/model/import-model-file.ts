// A dropped or picked .keras/.h5 file becomes the model: its Keras code goes into the editor (so the editor
// holds the truth, as for JSON), and its weights become the run's weights, ready to evaluate or fine-tune.
// The readers (and h5wasm, onnx-proto) load on first use.
import { DEFAULT_TRAINING } from '../../model';
import { exportCode } from '../../store/compile';
import { useModel } from '../../store/model';
import { useTraining } from '../../store/training';

export { isModelFileName } from '../../keras/model-file-names';

/** `name` is the file's name (for messages), `bytes` reads it. */
export async function importModelFile(name: string, bytes: () => Promise<Uint8Array>): Promise<void> {
  const showError = (message: string) => useModel.setState({ error: { message, line: null, column: null } });
  try {
    const { importModelFile: read, weightsForModel } = await import('../../keras/model-files');
    const r = await read(await bytes(), name);
    const code = exportCode(r.built, { ...DEFAULT_TRAINING, ...r.training });
    useTraining.getState().reset();
    if (!useModel.getState().apply(code)) return;
    const { built, appliedCode, warnings } = useModel.getState();
    const weights = weightsForModel(built!, r.weights);
    useTraining
      .getState()
      .patch({ weights, weightsCode: appliedCode, checkpointEpoch: 0, checkpointStep: 0 });
    const count = weights.reduce((a, w) => a + w.data.length, 0).toLocaleString('en-US');
    useModel.setState({
      warnings: [...r.warnings, ...warnings, `${name}: model and ${count} trained weights loaded`],
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    showError(msg.startsWith(name) ? msg : `${name}: ${msg}`);
  }
}
