// Import of a Keras model JSON file (model.to_json() or TF.js model.json): becomes Keras code in the editor.

import { jsonToCode } from '../../store/compile';
import { useModel } from '../../store/model';
import { importModelFile, isModelFileName } from './import-model-file';

export async function importJsonFile(file: File): Promise<void> {
  if (isModelFileName(file.name)) {
    return importModelFile(file.name, async () => new Uint8Array(await file.arrayBuffer()));
  }
  const text = await file.text();
  try {
    const code = jsonToCode(text);
    useModel.getState().apply(code);
  } catch (e) {
    useModel.setState({
      error: {
        message: `${file.name}: ${e instanceof Error ? e.message : String(e)}`,
        line: null,
        column: null,
      },
    });
  }
}
