// Checking a dataset against the model (channels, sizes, labels) before anything is uploaded, with messages
// that say what to change, and the geometry of the batch gather that fits its images to the model's input.
import type { ImageSet } from '../data/types';
import type { BuiltModel } from '../model/sequential';
import type { SourceFormat } from './batch';
import type { TrainerDataset } from './types';

/** The model's input as the gather writes it: an image [h, w, c], or a vector [n] read as [1, n, 1]. */
export interface InputGeometry {
  dstH: number;
  dstW: number;
  channels: number;
  /** A vector input: the dataset's images are flattened, so their size must equal n. */
  vector: boolean;
}

export function inputGeometry(model: BuiltModel): InputGeometry {
  const s = model.inputShape;
  if (s.length === 3) return { dstH: s[0], dstW: s[1], channels: s[2], vector: false };
  if (s.length === 1) return { dstH: 1, dstW: s[0], channels: 1, vector: true };
  throw new Error(
    `input shape (${s.join(', ')}) is neither an image (height, width, channels) nor a vector (n,)`,
  );
}

/** Source format of raw samples when no dataset is set: exactly the model's input, scaled by 1/255. */
export function modelSourceFormat(g: InputGeometry): SourceFormat {
  return { height: g.dstH, width: g.dstW, channels: g.channels, normalization: { kind: 'scale255' } };
}

export interface DatasetPlan {
  source: SourceFormat;
  /** Target of the gather (a vector model reads the dataset's own grid, flattened). */
  dstH: number;
  dstW: number;
  mode: 'pad' | 'resize';
  train: ImageSet;
  /** Validation: its own set, or the tail of `train` from `base` (validation_split). */
  val: { set: ImageSet; base: number; count: number; split: boolean } | null;
  test: ImageSet | null;
  trainCount: number;
}

/** What the model's output takes, for messages: "10 units (labels 0..9)" or "one sigmoid unit (labels 0 and 1)". */
function outputTakes(model: BuiltModel, classes: number): string {
  const units = model.layers[model.layers.length - 1].outputShape[0];
  return units === 1 && classes === 2
    ? 'one unit (binary: labels 0 and 1)'
    : `${classes} units (labels 0..${classes - 1})`;
}

function checkLabels(what: string, set: ImageSet, classes: number, takes: string): void {
  if (set.labels.length < set.count) {
    throw new Error(`the ${what} set has ${set.count} images but only ${set.labels.length} labels`);
  }
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i];
    if (!(l >= 0 && l < classes)) {
      throw new Error(
        `${what} sample ${i} has label ${l}, but the model's last layer has ${takes}; ` +
          `set the last Dense layer to the dataset's number of classes`,
      );
    }
  }
}

export function planDataset(
  model: BuiltModel,
  classes: number,
  ds: TrainerDataset,
  validationSplit: number,
  inputAdapt?: 'pad' | 'resize',
): DatasetPlan {
  const g = inputGeometry(model);
  const shape = `(${ds.height}, ${ds.width}, ${ds.channels})`;
  const modelShape = `(${model.inputShape.join(', ')})`;
  let dstH = g.dstH;
  let dstW = g.dstW;
  if (g.vector) {
    const n = ds.height * ds.width * ds.channels;
    if (n !== g.dstW) {
      throw new Error(
        `the model takes vectors of ${g.dstW} values but the dataset's images are ${shape} = ${n} values; ` +
          `set input_shape=(${n},) or start the model with Flatten() and input_shape=${shape}`,
      );
    }
    dstH = ds.height;
    dstW = ds.width;
  } else if (ds.channels !== g.channels) {
    const kind = (c: number) => (c === 1 ? 'grayscale' : c === 3 ? 'RGB' : `${c}-channel`);
    throw new Error(
      `the model expects ${kind(g.channels)} input ${modelShape} but the dataset is ${kind(ds.channels)} ${shape}; ` +
        `set input_shape=(${g.dstH}, ${g.dstW}, ${ds.channels}) or load the dataset as ${kind(g.channels)}`,
    );
  }
  const takes = outputTakes(model, classes);
  if (ds.classNames.length > classes) {
    throw new Error(
      `the dataset has ${ds.classNames.length} classes but the model's last layer has ${takes}; ` +
        `set it to Dense(${ds.classNames.length}, activation='softmax')`,
    );
  }
  if (ds.train.count < 1) throw new Error('the training set is empty');
  checkLabels('training', ds.train, classes, takes);
  if (ds.val) checkLabels('validation', ds.val, classes, takes);
  if (ds.test) checkLabels('test', ds.test, classes, takes);
  const fits = ds.height <= dstH && ds.width <= dstW;
  const mode = g.vector ? 'pad' : (inputAdapt ?? (fits ? 'pad' : 'resize'));
  let val: DatasetPlan['val'] = null;
  let trainCount = ds.train.count;
  if (ds.val && ds.val.count > 0) {
    val = { set: ds.val, base: 0, count: ds.val.count, split: false };
  } else if (validationSplit > 0 && validationSplit < 1) {
    // Keras: the last fraction of the samples, taken before shuffling.
    const at = Math.floor(ds.train.count * (1 - validationSplit));
    if (at >= 1 && at < ds.train.count) {
      val = { set: ds.train, base: at, count: ds.train.count - at, split: true };
      trainCount = at;
    }
  }
  return {
    source: { height: ds.height, width: ds.width, channels: ds.channels, normalization: ds.normalization },
    dstH,
    dstW,
    mode,
    train: ds.train,
    val,
    test: ds.test && ds.test.count > 0 ? ds.test : null,
    trainCount,
  };
}
