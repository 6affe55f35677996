// Predictions with the trained weights (the draw-a-digit canvas, the feature maps of the chosen sample after
// a run or a reload), answered by the worker.

import type { ActivationMap } from '../train/types';
import { send } from '../worker/client';
import type { FromWorker } from '../worker/protocol';
import { useDataset } from './dataset';
import { useModel } from './model';
import { sampleImage } from './run-config';
import { useTraining } from './training';
import { useUi } from './ui';

type Prediction = Extract<FromWorker, { type: 'prediction' }>;

let nextId = 1;
const waiters = new Map<number, (m: Prediction) => void>();

/** Hands a worker's answer to the prediction waiting for it. */
export function resolvePrediction(m: Prediction): void {
  waiters.get(m.id)?.(m);
  waiters.delete(m.id);
}

/** Class probabilities (and feature maps) of one image in the dataset's layout, with the trained weights. */
export function predictImage(
  image: Uint8Array,
  withActivations = false,
): Promise<{ probs: Float32Array; maps: ActivationMap[] | null; error?: string }> | null {
  const model = useModel.getState();
  const t = useTraining.getState();
  const d = useDataset.getState().dataset;
  if (!model.built || !t.weights || !d || t.weightsCode !== model.appliedCode) return null;
  const id = nextId++;
  const built = model.built;
  const weights = t.weights;
  return new Promise((resolve) => {
    waiters.set(id, (m) => resolve({ probs: m.probs, maps: m.maps, error: m.error }));
    send({
      type: 'predict',
      id,
      model: built,
      weights,
      inputAdapt: useDataset.getState().inputAdapt,
      dataset: {
        height: d.height,
        width: d.width,
        channels: d.channels,
        classNames: d.classNames,
        normalization: d.normalization,
      },
      image,
      withActivations,
    });
  });
}

/** Feature maps of the chosen sample with the trained weights (after a run, a reload, a new sample). */
export async function refreshMaps(): Promise<void> {
  const t = useTraining.getState();
  const d = useDataset.getState().dataset;
  if (!d || useUi.getState().webgpu.state !== 'ready') return;
  const r = await predictImage(sampleImage(d, t.sampleIndex), true);
  if (r?.maps && useTraining.getState().status !== 'running')
    useTraining.getState().patch({ activations: r.maps });
}
