// Model + training settings -> Keras 3 Python that runs as is: imports, the Sequential model, compile, data
// (MNIST for 28x28 / 32x32 grey inputs, CIFAR-10 for 32x32x3, random placeholders otherwise) and fit.
// Arguments at their Keras default are left out, so the code reads like a person wrote it; the importer reads
// it back to the same model (names are written only where Keras's automatic ones would differ).
import {
  type BuiltModel,
  defaultOptimizer,
  type Layer,
  nameStem,
  type OptimizerConfig,
  type Pair,
  type TrainingConfig,
} from '../model';

const py = {
  str: (s: string) => JSON.stringify(s),
  float: (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v)),
  tuple: (v: readonly number[]) => (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`),
};
const samePair = (a: Pair, b: Pair) => a[0] === b[0] && a[1] === b[1];

function layerCode(layer: Layer): string {
  const args: string[] = [];
  const common = (c: {
    activation: string;
    use_bias: boolean;
    kernel_initializer: string;
    bias_initializer: string;
  }) => {
    if (c.activation !== 'linear') args.push(`activation=${py.str(c.activation)}`);
    if (!c.use_bias) args.push('use_bias=False');
    if (c.kernel_initializer !== 'glorot_uniform')
      args.push(`kernel_initializer=${py.str(c.kernel_initializer)}`);
    if (c.bias_initializer !== 'zeros') args.push(`bias_initializer=${py.str(c.bias_initializer)}`);
  };
  let cls: string = layer.className;
  switch (layer.className) {
    case 'Conv2D': {
      const c = layer.config;
      args.push(String(c.filters), `kernel_size=${py.tuple(c.kernel_size)}`);
      if (!samePair(c.strides, [1, 1])) args.push(`strides=${py.tuple(c.strides)}`);
      if (c.padding !== 'valid') args.push(`padding=${py.str(c.padding)}`);
      common(c);
      break;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const c = layer.config;
      args.push(`pool_size=${py.tuple(c.pool_size)}`);
      if (!samePair(c.strides, c.pool_size)) args.push(`strides=${py.tuple(c.strides)}`);
      if (c.padding !== 'valid') args.push(`padding=${py.str(c.padding)}`);
      break;
    }
    case 'Dense':
      args.push(String(layer.config.units));
      common(layer.config);
      break;
    case 'Dropout':
      args.push(py.float(layer.config.rate));
      if (layer.config.seed !== null) args.push(`seed=${layer.config.seed}`);
      break;
    case 'Activation': {
      const { activation, alpha } = layer.config;
      if (activation === 'leaky_relu' && alpha !== undefined) {
        cls = 'LeakyReLU';
        args.push(`negative_slope=${py.float(alpha)}`);
      } else if (activation === 'elu' && alpha !== undefined) {
        cls = 'ELU';
        args.push(`alpha=${py.float(alpha)}`);
      } else args.push(py.str(activation));
      break;
    }
    case 'ZeroPadding2D': {
      const [[t, b], [l, r]] = layer.config.padding;
      args.push(`padding=((${t}, ${b}), (${l}, ${r}))`);
      break;
    }
    case 'Flatten':
    case 'GlobalAveragePooling2D':
    case 'InputLayer':
      break;
  }
  return `layers.${cls}(${args.join(', ')}`;
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
  const classes = out.length === 1 ? out[0] : 10;
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

export function exportKerasCode(model: BuiltModel, training: TrainingConfig): string {
  const taken = new Set<string>();
  const layerLines = model.layers.map(({ layer }) => {
    // The name Keras (and the importer) would give this layer: write name= only when it differs.
    const stem = nameStem(layer.className);
    let auto = stem;
    for (let i = 1; taken.has(auto); i++) auto = `${stem}_${i}`;
    taken.add(layer.config.name);
    const code = layerCode(layer);
    const named =
      layer.config.name === auto ? '' : `${code.endsWith('(') ? '' : ', '}name=${py.str(layer.config.name)}`;
    return `        ${code}${named}),`;
  });
  const metrics = training.metrics.map(py.str).join(', ');
  return [
    `# ${model.name}: ${model.paramCount.toLocaleString('en-US')} parameters. Exported from Paperweight for Keras 3.`,
    'import numpy as np',
    'import keras',
    'from keras import layers',
    '',
    'model = keras.Sequential(',
    '    [',
    `        keras.Input(shape=${py.tuple(model.inputShape)}),`,
    ...layerLines,
    '    ],',
    `    name=${py.str(model.name)},`,
    ')',
    'model.summary()',
    '',
    'model.compile(',
    `    optimizer=${optimizerCode(training.optimizer)},`,
    `    loss=${py.str(training.loss)},`,
    `    metrics=[${metrics}],`,
    ')',
    '',
    ...dataCode(model, training),
    '',
    'model.fit(',
    '    x_train,',
    '    y_train,',
    `    batch_size=${training.batch_size},`,
    `    epochs=${training.epochs},`,
    `    validation_split=${py.float(training.validation_split)},`,
    ')',
    '',
  ].join('\n');
}
