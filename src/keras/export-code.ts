// Model + training settings -> Keras 3 Python that runs as is: imports, the Sequential model, compile, data
// (MNIST for 28x28 / 32x32 grey inputs, CIFAR-10 for 32x32x3, random placeholders otherwise) and fit.
// Arguments at their Keras default are left out, so the code reads like a person wrote it; the importer reads
// it back to the same model (names are written only where Keras's automatic ones would differ).
import {
  type BuiltModel,
  type ConfigValue,
  defaultOptimizer,
  kerasClassOf,
  type Layer,
  nameStem,
  type OptimizerConfig,
  specOf,
  type TrainingConfig,
} from '../model';
import { callbacksCode } from './export-callbacks';

const py = {
  str: (s: string) => JSON.stringify(s),
  float: (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v)),
  tuple: (v: readonly number[]) => (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`),
};
/** A config value as a Python literal: tuples for lists, None, True/False. */
function pyValue(v: ConfigValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return py.str(v);
  if (typeof v === 'number') return String(v);
  return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map(pyValue).join(', ')})`;
}

const sameValue = (a: ConfigValue, b: ConfigValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/** `layers.Conv2D(6, kernel_size=(5, 5), activation="relu"` (without the closing parenthesis). */
function layerCode(layer: Layer): string {
  const spec = specOf(layer);
  const config = spec.config(layer);
  const defaults = spec.defaults(config);
  const args: string[] = [];
  Object.entries(config).forEach(([k, v], i) => {
    if (i < (spec.exportPositional ?? 0)) args.push(pyValue(v));
    else if (!(k in defaults && sameValue(defaults[k], v))) args.push(`${k}=${pyValue(v)}`);
  });
  return `layers.${spec.className}(${args.join(', ')}`;
}

function optimizerCode(o: OptimizerConfig): string {
  const d = defaultOptimizer(o.name);
  const cls = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' }[o.name];
  const args = [`learning_rate=${py.float(o.learning_rate)}`];
  for (const k of ['momentum', 'beta_1', 'beta_2', 'rho', 'epsilon'] as const) {
    const v = o[k];
    if (v !== undefined && v !== d[k]) args.push(`${k}=${py.float(v)}`);
  }
  if (o.nesterov) args.push('nesterov=True');
  if (o.centered) args.push('centered=True');
  return `keras.optimizers.${cls}(${args.join(', ')})`;
}

function dataCode(model: BuiltModel, training: TrainingConfig): string[] {
  const shape = model.inputShape;
  const out = model.layers[model.layers.length - 1].outputShape;
  // One sigmoid unit (binary_crossentropy) has labels 0 and 1.
  const classes = out.length === 1 ? Math.max(2, out[0]) : 10;
  const key = shape.join('x');
  const lines: string[] = [];
  if (classes === 10 && ['28x28x1', '32x32x1', '28x28', '784'].includes(key)) {
    lines.push('(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()');
    lines.push('x_train = x_train.astype("float32") / 255.0');
    if (key === '32x32x1')
      lines.push('x_train = np.pad(x_train, ((0, 0), (2, 2), (2, 2)))  # 28x28 -> 32x32, as LeCun did');
    lines.push(`x_train = x_train.reshape((-1, ${shape.join(', ')}))`);
  } else if (classes === 10 && key === '32x32x3') {
    lines.push('(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()');
    lines.push('x_train = x_train.astype("float32") / 255.0');
    lines.push('y_train = y_train.reshape(-1)');
  } else {
    lines.push("# Random placeholders with the model's shapes: replace them with your data.");
    lines.push(`x_train = np.random.rand(1024, ${shape.join(', ')}).astype("float32")`);
    lines.push(`y_train = np.random.randint(0, ${classes}, size=1024)`);
  }
  if (training.loss === 'categorical_crossentropy') {
    lines.push(`y_train = keras.utils.to_categorical(y_train, ${classes})`);
  }
  return lines;
}

/** The loss as Keras takes it: its name, or its class when from_logits=True must be said. */
function lossCode(training: TrainingConfig): string {
  if (!training.from_logits) return py.str(training.loss);
  const cls = training.loss.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  return `keras.losses.${cls}(from_logits=True)`;
}

/** Layer calls with name= only where Keras's automatic name (in creation order) would differ. */
function namedLayerCode(layer: Layer, taken: Set<string>): string {
  const stem = nameStem(kerasClassOf(layer));
  let auto = stem;
  for (let i = 1; taken.has(auto); i++) auto = `${stem}_${i}`;
  taken.add(layer.config.name);
  const code = layerCode(layer);
  const named =
    layer.config.name === auto ? '' : `${code.endsWith('(') ? '' : ', '}name=${py.str(layer.config.name)}`;
  return `${code}${named})`;
}

function sequentialCode(model: BuiltModel): string[] {
  const taken = new Set<string>();
  return [
    'model = keras.Sequential(',
    '    [',
    `        keras.Input(shape=${py.tuple(model.inputShape)}),`,
    ...model.layers.map(({ layer }) => `        ${namedLayerCode(layer, taken)},`),
    '    ],',
    `    name=${py.str(model.name)},`,
    ')',
  ];
}

const RESERVED = new Set(['keras', 'layers', 'np', 'model', 'inputs', 'outputs', 'x_train', 'y_train']);
/** A Python variable for a layer's output tensor: its name, made an identifier. */
function tensorVar(name: string): string {
  const v = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
  return RESERVED.has(v) || /^(and|as|class|def|del|for|from|if|in|is|lambda|not|or|pass|with|input)$/.test(v)
    ? `${v}_out`
    : v;
}

/** keras.Input, one line per layer call (merges on lists), keras.Model(inputs, outputs). */
function functionalCode(model: BuiltModel): string[] {
  const inputName = model.inputName ?? 'input_layer';
  const taken = new Set<string>([inputName]);
  const vars = model.layers.map((l) => tensorVar(l.layer.config.name));
  const arg = (j: number) => (j === -1 ? 'inputs' : vars[j]);
  const inputArgs = [`shape=${py.tuple(model.inputShape)}`];
  if (inputName !== 'input_layer') inputArgs.push(`name=${py.str(inputName)}`);
  return [
    `inputs = keras.Input(${inputArgs.join(', ')})`,
    ...model.layers.map((l, i) => {
      const call = namedLayerCode(l.layer, taken);
      const spec = specOf(l.layer);
      const on = spec.merge ? `[${l.inbound.map(arg).join(', ')}]` : arg(l.inbound[0]);
      return `${vars[i]} = ${call}(${on})`;
    }),
    `model = keras.Model(inputs=inputs, outputs=${vars[vars.length - 1]}, name=${py.str(model.name)})`,
  ];
}

export function exportKerasCode(model: BuiltModel, training: TrainingConfig): string {
  const metrics = training.metrics.map(py.str).join(', ');
  const callbacks = callbacksCode(training.callbacks);
  return [
    `# ${model.name}: ${model.paramCount.toLocaleString('en-US')} parameters. Exported from Paperweight for Keras 3.`,
    'import numpy as np',
    'import keras',
    'from keras import layers',
    '',
    ...(model.functional ? functionalCode(model) : sequentialCode(model)),
    'model.summary()',
    '',
    'model.compile(',
    `    optimizer=${optimizerCode(training.optimizer)},`,
    `    loss=${lossCode(training)},`,
    `    metrics=[${metrics}],`,
    ')',
    '',
    ...dataCode(model, training),
    '',
    ...callbacks.before,
    'model.fit(',
    '    x_train,',
    '    y_train,',
    `    batch_size=${training.batch_size},`,
    `    epochs=${training.epochs},`,
    `    validation_split=${py.float(training.validation_split)},`,
    ...(callbacks.arg ? [`    ${callbacks.arg},`] : []),
    ')',
    '',
  ].join('\n');
}
