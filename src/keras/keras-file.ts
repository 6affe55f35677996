// The Keras 3 `.keras` file, both ways. A zip of config.json (model.to_json()'s form plus compile_config),
// metadata.json ({keras_version, date_saved}) and model.weights.h5, whose layout comes from Keras's
// saving_lib: every saveable writes its variables as datasets "0", "1", ... in a `vars` group under its path,
// the model at the root (`vars`), its layers at `layers/<class name in snake case>[_N]` (numbered by class,
// not by layer name, so two Conv2D layers are layers/conv2d and layers/conv2d_1). Since Keras 3.6 each `vars`
// group also carries the saveable's name as an attribute; Keras 2.13-2.15 wrote `_layer_checkpoint_dependencies`
// where Keras 3 writes `layers`. Both are read.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { type BuiltModel, type NamedWeight, nameStem, type TrainingConfig } from '../model';
import { ensureGroup, group, type H5Group, nodeAt, readHdf5, writeHdf5 } from './hdf5-tree';
import type { JsonObject } from './json-layers';
import {
  builtIndexOf,
  configLayers,
  importModelJson,
  layerWeights,
  lossJson,
  type ModelFileImport,
  modelJsonObject,
  optimizerJson,
  orderedWeights,
  parseJson,
  refuse,
} from './model-file-common';

export const KERAS_CONFIG = 'config.json';
export const KERAS_METADATA = 'metadata.json';
export const KERAS_WEIGHTS = 'model.weights.h5';
/** The layout written is Keras 3.6's and later (name attributes on `vars` groups). */
const KERAS_VERSION = '3.6.0';
/** Larger than any model a page trains; a zip that inflates past it is refused before inflating. */
const MAX_UNZIPPED_BYTES = 1 << 30;

/** The weight group of each layer in order, as saving_lib's _get_unique_name numbers them. */
export function layerGroupNames(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((c) => {
    // Keras's naming.to_snake_case, the stem of its automatic layer names too.
    const base = nameStem(c);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  });
}

const isZip = (b: Uint8Array) =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

function unzip(bytes: Uint8Array, fileName: string): Record<string, Uint8Array> {
  if (!isZip(bytes)) {
    throw refuse(
      fileName,
      'not a .keras file (a .keras file is a zip archive; this one does not start like one). Save the ' +
        "model with Keras 3's model.save('model.keras')",
    );
  }
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new Error('it inflates to more than 1 GiB');
        return f.name === KERAS_CONFIG || f.name === KERAS_METADATA || f.name === KERAS_WEIGHTS;
      },
    });
  } catch (e) {
    throw refuse(
      fileName,
      `the zip archive could not be read (${(e as Error).message}); the file is probably truncated: save ` +
        'or download it again',
    );
  }
}

/** Reads a .keras file: the model from config.json, the weights from model.weights.h5. */
export async function importKerasFile(bytes: Uint8Array, fileName: string): Promise<ModelFileImport> {
  const files = unzip(bytes, fileName);
  const configBytes = files[KERAS_CONFIG];
  if (!configBytes) {
    throw refuse(fileName, `the archive has no ${KERAS_CONFIG}; it is not a model saved by Keras 3`);
  }
  const configText = strFromU8(configBytes);
  const config = parseJson(configText, fileName, KERAS_CONFIG);
  const result = importModelJson(configText, fileName, KERAS_CONFIG);
  const weightsBytes = files[KERAS_WEIGHTS];
  if (!weightsBytes) {
    throw refuse(
      fileName,
      `the archive has no ${KERAS_WEIGHTS} (weights saved as .npz or sharded are not supported); save with ` +
        "model.save('model.keras')",
    );
  }
  const h5 = await readHdf5(weightsBytes, `${fileName} (${KERAS_WEIGHTS})`);
  const weights = weightsFromH5(h5, config, result.built, fileName);
  return { ...result, weights };
}

function weightsFromH5(h5: H5Group, config: JsonObject, built: BuiltModel, fileName: string): NamedWeight[] {
  const layers = configLayers(config);
  const root = h5.children.has('layers') ? 'layers' : '_layer_checkpoint_dependencies';
  const groupNames = layerGroupNames(layers.map((l) => l.className));
  const builtIndex = builtIndexOf(built, layers);
  const out: NamedWeight[] = [];
  layers.forEach((_, i) => {
    const bi = builtIndex[i];
    if (bi === null || bi === undefined || !built.layers[bi]) return;
    const path = `${root}/${groupNames[i]}/vars`;
    const vars = nodeAt(h5, path);
    const arrays = [];
    if (vars?.kind === 'group') {
      for (let k = 0; vars.children.has(String(k)); k++) {
        const d = vars.children.get(String(k))!;
        if (d.kind !== 'dataset')
          throw refuse(fileName, `${path}/${k} is a group; a weight array was expected`);
        arrays.push({ shape: d.shape, data: d.data, where: `${KERAS_WEIGHTS}:/${path}/${k}` });
      }
    }
    if (arrays.length === 0 && built.layers[bi].params.length > 0) {
      throw refuse(
        fileName,
        `${KERAS_WEIGHTS} has no weights for layer '${built.layers[bi].layer.config.name}' (expected them ` +
          `at /${path})`,
      );
    }
    out.push(...layerWeights(built, bi, arrays, fileName));
  });
  return out;
}

/** Keras 3's compile_config of config.json. */
export function compileConfig(training: TrainingConfig): JsonObject {
  return {
    optimizer: optimizerJson(training, true),
    loss: lossJson(training, true),
    loss_weights: null,
    metrics: [...training.metrics],
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/** The weights file of a .keras archive, as an h5 tree. */
export function kerasWeightsTree(
  built: BuiltModel,
  weights: readonly NamedWeight[],
  config: JsonObject,
): H5Group {
  const ordered = orderedWeights(built, weights);
  const root = group();
  root.children.set('vars', group({ name: built.name }));
  const layers = configLayers(config);
  const groupNames = layerGroupNames(layers.map((l) => l.className));
  const builtIndex = builtIndexOf(built, layers);
  layers.forEach((l, i) => {
    const vars = ensureGroup(root, `layers/${groupNames[i]}/vars`);
    vars.attrs.name = l.name ?? groupNames[i];
    const bi = builtIndex[i];
    if (bi === null || bi === undefined) return;
    ordered[bi].forEach((w, k) => {
      vars.children.set(String(k), { kind: 'dataset', shape: [...w.shape], data: w.data, attrs: {} });
    });
  });
  return root;
}

/** A .keras archive of the model, its weights and (when given) its compile settings. */
export async function exportKerasFile(
  built: BuiltModel,
  weights: readonly NamedWeight[],
  training?: TrainingConfig,
  now = new Date(),
): Promise<Uint8Array> {
  const config = modelJsonObject(built);
  if (training) config.compile_config = compileConfig(training);
  const h5 = await writeHdf5(kerasWeightsTree(built, weights, config));
  const pad = (n: number) => String(n).padStart(2, '0');
  const date =
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const metadata = { keras_version: KERAS_VERSION, date_saved: date };
  // Keras writes metadata, config, weights, uncompressed (zipfile's default ZIP_STORED).
  return zipSync(
    {
      [KERAS_METADATA]: strToU8(JSON.stringify(metadata)),
      [KERAS_CONFIG]: strToU8(JSON.stringify(config)),
      [KERAS_WEIGHTS]: h5,
    },
    { level: 0 },
  );
}
