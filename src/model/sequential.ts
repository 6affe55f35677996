// Sequential: the list of layers, Keras's automatic names, shape inference and the parameter list.
import { type Layer, nameStem } from './layers';
import { kerasClassOf, outputShapeOf, paramSpecsOf } from './registry';
import { type ParamSpec, ShapeError } from './shapes';

export interface BuiltLayer {
  layer: Layer;
  /** Shapes without the batch axis. For a layer with several inputs (Add, Concatenate), the first one's. */
  inputShape: number[];
  /** Every input's shape, in call order (one entry for single-input layers). */
  inputShapes: number[][];
  /**
   * Where each input comes from, in call order: an index into BuiltModel.layers (always smaller than this
   * layer's own index: layers are in topological order), or -1 for the model's input. Sequential: [i - 1].
   */
  inbound: number[];
  outputShape: number[];
  params: ParamSpec[];
  paramCount: number;
}

export interface BuiltModel {
  name: string;
  inputShape: number[];
  /** Every layer but InputLayer, in topological order, with its shapes. The last one is the model's output. */
  layers: BuiltLayer[];
  paramCount: number;
  /** Functional models: the input layer's name ('input_layer'); Keras shows it as the first summary row. */
  inputName?: string;
  /** Built from keras.Model(inputs, outputs): summaries and exports write the graph, not a layer list. */
  functional?: boolean;
}

export class Sequential {
  readonly layers: Layer[] = [];
  // Kept alongside `layers` so naming stays linear: rebuilding them per add made 10,000 layers take seconds.
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();
  constructor(
    layers: Layer[] = [],
    readonly name = 'sequential',
    public inputShape: number[] | null = null,
  ) {
    for (const l of layers) this.add(l);
  }

  add(layer: Layer): this {
    if (layer.className === 'InputLayer') {
      if (this.layers.length > 0 || this.inputShape) {
        throw new Error('InputLayer / Input(shape=...) must come first in a Sequential model');
      }
      this.inputShape = [...layer.config.shape];
      return this;
    }
    const named = assignName(layer, this.taken, this.nextSuffix);
    this.taken.add(named.config.name);
    this.layers.push(named);
    return this;
  }

  build(): BuiltModel {
    return buildSequential(this.layers, this.inputShape, this.name);
  }
}

/** `layer` with Keras's automatic name (conv2d, conv2d_1, ...) when it has none; refuses a name taken. */
export function assignName(layer: Layer, taken: Set<string>, nextSuffix: Map<string, number>): Layer {
  if (layer.config.name) {
    if (taken.has(layer.config.name)) {
      throw new Error(`two layers are named '${layer.config.name}'; layer names must be unique in a model`);
    }
    return layer;
  }
  const stem = nameStem(kerasClassOf(layer));
  let name = stem;
  // Suffixes only grow, so the search resumes where the last one for this stem stopped.
  let i = nextSuffix.get(stem) ?? 1;
  if (taken.has(name)) {
    for (; taken.has(`${stem}_${i}`); i++);
    name = `${stem}_${i}`;
    nextSuffix.set(stem, i + 1);
  }
  return { ...layer, config: { ...layer.config, name } } as Layer;
}

/** More layers than any paper network, and few enough for the diagram, the summary and the compiler. */
export const MAX_LAYERS = 1000;

export function buildSequential(
  layers: Layer[],
  inputShape: number[] | null,
  name = 'sequential',
): BuiltModel {
  if (!inputShape) {
    throw new Error(
      'the model has no input shape; give the first layer input_shape=(h, w, c), or start with keras.Input(shape=...)',
    );
  }
  checkModelSize(inputShape, layers);
  const built: BuiltLayer[] = [];
  let shape = [...inputShape];
  let total = 0;
  for (const layer of layers) {
    const b = buildLayer(layer, [shape], [built.length - 1]);
    total += b.paramCount;
    built.push(b);
    shape = b.outputShape;
  }
  return { name, inputShape: [...inputShape], layers: built, paramCount: total };
}

/** Refuses an input shape that is not positive integers, no layers, or more than MAX_LAYERS. */
export function checkModelSize(inputShape: number[], layers: Layer[]): void {
  if (inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`input shape (${inputShape.join(', ')}) must be positive integers`);
  }
  if (layers.length === 0) throw new Error('the model has no layers; add at least one, e.g. Dense(10)');
  if (layers.length > MAX_LAYERS) {
    // Named after the first layer past the limit, so the editor points at it.
    throw new ShapeError(
      `the model has ${layers.length.toLocaleString('en-US')} layers, more than the ` +
        `${MAX_LAYERS.toLocaleString('en-US')} Paperweight builds, draws and trains in a page; remove layers from ` +
        'here on',
      layers[MAX_LAYERS].config.name,
    );
  }
}

/** One layer of a built model: its output shape (no size collapsed to zero) and its weights. */
export function buildLayer(layer: Layer, inputs: number[][], inbound: number[]): BuiltLayer {
  const out = outputShapeOf(layer, inputs);
  if (out.some((d) => d < 1)) {
    throw new ShapeError(
      `${layer.config.name} (${layer.className}) turns (${inputs[0].join(', ')}) into (${out.join(', ')}): a ` +
        `size collapsed to zero; use padding='same', smaller kernels or strides, or a larger input`,
      layer.config.name,
    );
  }
  const params = paramSpecsOf(layer, inputs);
  return {
    layer,
    inputShape: inputs[0],
    inputShapes: inputs,
    inbound: [...inbound],
    outputShape: out,
    params,
    paramCount: params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0),
  };
}
