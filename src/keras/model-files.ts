// One door for Keras model files: which names are model files, reading one by its content (a zip is a .keras,
// HDF5 a Keras 2 .h5), the three exports, and weights renamed to the layers of a model rebuilt from code.
import type { BuiltModel, NamedWeight } from '../model';
import { exportKerasH5, importKerasH5 } from './h5';
import { isHdf5 } from './hdf5-tree';
import { exportKerasFile, importKerasFile } from './keras-file';
import { type ModelFileImport, refuse } from './model-file-common';
import { exportOnnx } from './onnx';

export type { ModelFileImport } from './model-file-common';
export { isModelFileName } from './model-file-names';
export { exportKerasFile, exportKerasH5, exportOnnx };

export async function importModelFile(bytes: Uint8Array, fileName: string): Promise<ModelFileImport> {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) return importKerasFile(bytes, fileName);
  if (isHdf5(bytes)) return importKerasH5(bytes, fileName);
  if (bytes.length === 0) throw refuse(fileName, 'the file is empty');
  throw refuse(
    fileName,
    "neither a .keras file (a zip) nor an .h5 file (HDF5); save the model with Keras's " +
      "model.save('model.keras') or model.save('model.h5')",
  );
}

/**
 * `weights` under the names of `built`'s layers, matched by position (the model was rebuilt from code and
 * may number its layers differently); throws when the architecture differs.
 */
export function weightsForModel(built: BuiltModel, weights: readonly NamedWeight[]): NamedWeight[] {
  const params = built.layers.flatMap((l) =>
    l.params.map((p) => ({ name: `${l.layer.config.name}/${p.name}`, p })),
  );
  if (params.length !== weights.length) {
    throw new Error(`the model has ${params.length} weight arrays but the file gave ${weights.length}`);
  }
  return params.map(({ name, p }, i) => {
    const w = weights[i];
    if (w.shape.join() !== p.shape.join()) {
      throw new Error(
        `'${w.name}' has shape (${w.shape.join(', ')}) but ${name} needs (${p.shape.join(', ')})`,
      );
    }
    return { name, shape: [...p.shape], data: w.data };
  });
}
