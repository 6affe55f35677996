// Trained weights in the TF.js Layers format: model.json (modelTopology + weightsManifest) and one binary
// shard, group1-shard1of1.bin, float32 little-endian in manifest order. tf.loadLayersModel reads it, and the
// tensorflowjs converter turns it into a Keras model. Weight names follow Keras: conv2d/kernel, conv2d/bias.
import type { BuiltModel, NamedWeight } from '../model';
import { KerasImportError } from './errors';
import { tfjsTopology } from './export-json';
import { isObject, type Json } from './json-layers';

export const TFJS_SHARD_NAME = 'group1-shard1of1.bin';

export function exportTfjsModel(
  model: BuiltModel,
  weights: NamedWeight[],
): { modelJson: string; weightsBin: Uint8Array } {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const ordered: NamedWeight[] = [];
  for (const l of model.layers) {
    for (const p of l.params) {
      const name = `${l.layer.config.name}/${p.name}`;
      const w = byName.get(name);
      if (!w) throw new Error(`weights for '${name}' are missing`);
      const size = p.shape.reduce((a, b) => a * b, 1);
      if (w.data.length !== size || w.shape.join() !== p.shape.join()) {
        throw new Error(
          `'${name}' has shape [${w.shape}] (${w.data.length} values); the model needs [${p.shape}]`,
        );
      }
      ordered.push(w);
    }
  }
  const total = ordered.reduce((a, w) => a + w.data.length, 0);
  const bin = new Uint8Array(total * 4);
  const view = new DataView(bin.buffer);
  let offset = 0;
  for (const w of ordered) {
    for (let i = 0; i < w.data.length; i++, offset += 4) view.setFloat32(offset, w.data[i], true);
  }
  const modelJson = JSON.stringify({
    format: 'layers-model',
    generatedBy: 'Paperweight',
    convertedBy: null,
    modelTopology: tfjsTopology(model),
    weightsManifest: [
      {
        paths: [TFJS_SHARD_NAME],
        weights: ordered.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })),
      },
    ],
  });
  return { modelJson, weightsBin: bin };
}

/** Weights of a TF.js model.json + its shards concatenated in manifest order (one shard for our exports). */
export function importTfjsWeights(modelJson: string, weightsBin: Uint8Array): NamedWeight[] {
  let root: Json;
  try {
    root = JSON.parse(modelJson) as Json;
  } catch (e) {
    throw new KerasImportError(`model.json is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(root) || !Array.isArray(root.weightsManifest)) {
    throw new KerasImportError('model.json has no weightsManifest; it is not a TF.js Layers model');
  }
  const view = new DataView(weightsBin.buffer, weightsBin.byteOffset, weightsBin.byteLength);
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const group of root.weightsManifest) {
    if (!isObject(group) || !Array.isArray(group.weights)) continue;
    for (const w of group.weights) {
      if (!isObject(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) {
        throw new KerasImportError('weightsManifest: every weight needs a name and a shape');
      }
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization) {
        throw new KerasImportError(
          `weight '${w.name}' is ${w.quantization ? 'quantized' : String(w.dtype)}; only float32 weights are supported`,
        );
      }
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      if (offset + size * 4 > weightsBin.byteLength) {
        throw new KerasImportError(
          `the weights file has ${weightsBin.byteLength} bytes but the manifest needs more (at '${w.name}')`,
        );
      }
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++, offset += 4) data[i] = view.getFloat32(offset, true);
      out.push({ name: w.name, shape: [...shape], data });
    }
  }
  if (offset !== weightsBin.byteLength) {
    throw new KerasImportError(
      `the weights file has ${weightsBin.byteLength} bytes; the manifest describes ${offset}`,
    );
  }
  return out;
}
