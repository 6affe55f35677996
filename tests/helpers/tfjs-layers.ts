// TF.js as a reader of our exports: tf.loadLayersModel (tfjs-layers) on an in-memory IO handler, so the unit
// and GPU tests load model.json + weights exactly as a page would, without files. The caller registers a
// backend (@tensorflow/tfjs-backend-cpu) and sets it.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { exportTfjsModel } from '../../src/keras';
import type { BuiltModel, NamedWeight } from '../../src/model';

/** Our TF.js Layers export of the model and weights, loaded by tf.loadLayersModel. */
export function loadTfjsExport(model: BuiltModel, weights: NamedWeight[]): Promise<tfl.LayersModel> {
  const { modelJson, weightsBin } = exportTfjsModel(model, weights);
  const j = JSON.parse(modelJson);
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: j.modelTopology,
      weightSpecs: j.weightsManifest[0].weights,
      weightData: weightsBin.slice().buffer,
    }),
  );
}
