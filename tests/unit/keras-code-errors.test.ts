// Every refusal of the code importer: the line and column (1-based, counted by hand here) and the wording.
import { describe, expect, it } from 'vitest';
import { codeRefusal } from '../helpers/keras';

function expectRefusal(source: string, line: number | null, column: number | null, message: string) {
  const e = codeRefusal(source);
  expect([e.line, e.column]).toEqual([line, column]);
  expect(e.message).toBe(line === null ? message : `line ${line}, column ${column}: ${message}`);
}

describe('Keras code import: refusals', () => {
  it('an unsupported Keras layer: what Keras does with it and what to write instead', () => {
    expectRefusal(
      'model = Sequential()\nmodel.add(Conv3D(6, 5))',
      2,
      11,
      "'Conv3D' is not supported: in Keras it works on 1-D signals or 3-D volumes; Paperweight has the 2-D " +
        'layers: use Conv2D / MaxPooling2D / AveragePooling2D on (height, width, channels) inputs',
    );
    expectRefusal(
      'model = Sequential([LSTM(32, input_shape=(10, 8))])',
      1,
      21,
      "'LSTM' is not supported: in Keras it works on sequences (text, time series); Paperweight trains image " +
        'networks (Conv2D, pooling and Dense layers on (height, width, channels) inputs), so this model needs ' +
        'Keras itself',
    );
    expectRefusal(
      'model = Sequential([Embedding(1000, 64, input_length=10)])',
      1,
      21,
      "'Embedding' is not supported: in Keras it works on sequences (text, time series); Paperweight trains " +
        'image networks (Conv2D, pooling and Dense layers on (height, width, channels) inputs), so this model ' +
        'needs Keras itself',
    );
    const lambda = codeRefusal('model = Sequential([Input(shape=(4,)), Lambda(lambda x: x * 2)])');
    expect([lambda.line, lambda.column]).toEqual([1, 40]);
    expect(lambda.message).toMatch(
      /^line 1, column 40: 'Lambda' is not supported: in Keras it runs a Python function, which Paperweight never does; write the computation with built-in layers \(Rescaling\(1\.\/255\) for x \/ 255/,
    );
  });

  it('a misspelt supported layer gets its name; a name Keras does not have gets the list', () => {
    expectRefusal(
      'model = Sequential([MaxPoling2D()])',
      1,
      21,
      "'MaxPoling2D' is not supported; did you mean 'MaxPooling2D'?",
    );
    const e = codeRefusal('model = Sequential([ResidualBlock(64)])');
    expect([e.line, e.column]).toEqual([1, 21]);
    expect(e.message).toMatch(
      /^line 1, column 21: 'ResidualBlock' is not a Keras layer Paperweight reads \(a layer of your own or another library's cannot be read without running its code\); write the network with these layers: Conv2D, .*Dense/,
    );
  });

  it('BatchNormalization over another axis than the channels, with what to do', () => {
    expectRefusal(
      'model = keras.Sequential([\n    layers.Input(shape=(32, 32, 3)),\n    layers.BatchNormalization(axis=1),\n])',
      3,
      5,
      'batch_normalization (BatchNormalization) normalizes axis 1 of (None, 32, 32, 3); Paperweight normalizes ' +
        'the channel axis (channels_last): use axis=-1',
    );
  });

  it('an unknown keyword argument: a typo gets the right name, others the list', () => {
    expectRefusal(
      'model.add(Conv2D(6, kernal_size=5, input_shape=(32, 32, 1)))',
      1,
      21,
      "Conv2D has no argument 'kernal_size'; did you mean 'kernel_size'?",
    );
    expectRefusal(
      'model.add(Dense(3, input_shape=(4,), depth=3))',
      1,
      38,
      "Dense has no argument 'depth'; its arguments are units, activation, use_bias, kernel_initializer, " +
        'bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint, ' +
        'bias_constraint, lora_rank, input_shape, name',
    );
  });

  it("data_format='channels_first', with the fix", () => {
    expectRefusal(
      "model.add(Conv2D(6, 5, data_format='channels_first', input_shape=(1, 32, 32)))",
      1,
      36,
      "Conv2D: data_format='channels_first' is not supported; Paperweight is channels_last (NHWC): remove " +
        'data_format and give input_shape as (height, width, channels)',
    );
  });

  it('Python syntax errors at their place, with the unclosed bracket when there is one', () => {
    expectRefusal(
      "model.add(Dense(10, activation='relu')\nmodel.add(Dense(3))\n",
      2,
      1,
      "Python syntax error near 'model': the '(' at line 1, column 10 is not closed",
    );
    expectRefusal(
      "model = Sequential()\nmodel.add(Dense(10 activation='relu'))",
      2,
      20,
      "Python syntax error near 'activation': check for a missing comma, quote or bracket",
    );
  });

  it('values that only running the code would give', () => {
    expectRefusal(
      'model.add(Conv2D(32, (3, 3), input_shape=x_train.shape[1:]))',
      1,
      42,
      'Conv2D: cannot read input_shape=x_train.shape[1:] without running the code; write a tuple such as ' +
        '(32, 32, 1) literally (Paperweight reads code, it never runs it)',
    );
    expectRefusal(
      'model.add(Dense(units=num_units, input_shape=(4,)))',
      1,
      23,
      'Dense: units=num_units, but the code never gives num_units a value (is it set in a part not pasted, or ' +
        'imported?); assign it first, e.g. num_units = ..., or write an integer literally',
    );
    // Given a value the code cannot read (a call), it says so instead.
    expectRefusal(
      'num_units = int(sys.argv[1])\nmodel.add(Dense(units=num_units, input_shape=(4,)))',
      2,
      23,
      'Dense: cannot read units=num_units without running the code; write an integer literally (Paperweight ' +
        'reads code, it never runs it)',
    );
    expectRefusal(
      'model.add(Dense(3, **cfg))',
      1,
      20,
      'Dense: *args / **kwargs cannot be read without running the code; write the arguments out',
    );
    expectRefusal(
      'model = Sequential()\nfor f in config.filters:\n    model.add(Conv2D(f, 3))',
      3,
      15,
      'layers added in a loop over values only running the code would give cannot be read (Keras adds one per ' +
        'pass); loop over a literal list or range(n), or write each layer out',
    );
  });

  it('impossible shapes, at the line of the layer that breaks', () => {
    expectRefusal(
      'model = Sequential()\nmodel.add(Conv2D(6, 5, input_shape=(8, 8, 1)))\nmodel.add(Conv2D(6, 5))',
      3,
      11,
      "kernel 5x5 is larger than the 4x4 input of conv2d_1; use padding='same' or a smaller kernel",
    );
    expectRefusal(
      'model = Sequential()\nmodel.add(Dense(6, input_shape=(8,)))\nmodel.add(Conv2D(6, 3))',
      3,
      11,
      'conv2d (Conv2D) needs an image input (height, width, channels) but gets a vector of shape (6); put it ' +
        'before Flatten, or give the model an image input_shape',
    );
    expectRefusal(
      'model = Sequential()\nmodel.add(Dense(10))',
      2,
      11,
      'the model has no input shape; give the first layer input_shape=(h, w, c), or start with keras.Input(shape=...)',
    );
  });

  it('argument values the engine cannot honour', () => {
    expectRefusal(
      "model.add(Dense(10, activation='rellu', input_shape=(3,)))",
      1,
      32,
      "Dense: activation 'rellu' is not supported; did you mean 'relu'? (supported: linear, relu, sigmoid, tanh, " +
        'softmax, elu, leaky_relu, relu6, selu, softplus, swish, gelu)',
    );
    expectRefusal(
      'model.add(Conv2D(8, 3, dilation_rate=2, input_shape=(9, 9, 1)))',
      1,
      38,
      'Conv2D: dilation_rate=2 is not supported; Paperweight has no dilated convolutions; remove dilation_rate',
    );
    expectRefusal(
      'model.add(Dense(4, input_shape=(3,)))\nmodel.add(Dropout(1.5))',
      2,
      19,
      'Dropout: rate must be in [0, 1), got 1.5',
    );
    expectRefusal(
      'model.add(Dense(3, input_shape=(4,)))\nmodel.add(ReLU(max_value=4))',
      2,
      26,
      'ReLU: max_value=4 is not supported; the engine caps relu only at 6 (relu6); remove max_value',
    );
    expectRefusal(
      'model.add(Dense(3, input_shape=(4,), activation=make_act(0.1)))',
      1,
      49,
      'Dense: activation=make_act(0.1) is not supported; use activation=None and add the activation as its ' +
        'own layer after this one',
    );
    expectRefusal(
      'model.add(Input(shape=(None, None, 3)))',
      1,
      23,
      'Input: shape=(None, None, 3) has an unknown size (None); Paperweight needs fixed sizes, e.g. (32, 32, 1)',
    );
    expectRefusal(
      'model.add(Dropout(0.5, None, 1, 2))',
      1,
      33,
      'Dropout takes at most 3 positional arguments (rate, noise_shape, seed); pass the others by keyword',
    );
  });

  it('model structure mistakes', () => {
    expectRefusal(
      'model.add(Dense(3, input_shape=(4,)))\nmodel.add(Input(shape=(4,)))',
      2,
      11,
      'Input(shape=...) must come first in a Sequential model',
    );
    expectRefusal(
      "model.add(Dense(3, input_shape=(4,), name='fc'))\nmodel.add(Dense(3, name='fc'))",
      2,
      11,
      "two layers are named 'fc'; layer names must be unique in a model",
    );
    // `model = keras.Model(inputs, ` is 28 characters: the list starts at column 29.
    expectRefusal(
      'inputs = keras.Input(shape=(28, 28, 1))\nx = layers.Flatten()(inputs)\na = layers.Dense(10)(x)\n' +
        'b = layers.Dense(2)(x)\nmodel = keras.Model(inputs, [a, b])',
      5,
      29,
      'the model has 2 outputs; Paperweight builds models with one input and one output (a dataset here ' +
        'gives each sample one input tensor and one label): keep one output',
    );
    expectRefusal(
      'import numpy as np\nprint("hello")',
      null,
      null,
      'no Keras model found; write model = keras.Sequential([...]), model.add(Layer(...)) lines or the ' +
        'functional API (inputs = keras.Input(shape=...) ... model = keras.Model(inputs, outputs))',
    );
  });

  it('columns count from the pasted text: indentation and Chinese text before the error', () => {
    expectRefusal(
      '    model.add(Dense(3, input_shape=(4,)))\n    model.add(Dens(1))',
      2,
      15,
      "'Dens' is not supported; did you mean 'Dense'?",
    );
    // x, space, =, space, quote, 卷, 积, quote, ;, space = 10 characters, then `model.add(` = 10.
    expectRefusal("x = '卷积'; model.add(Dens(1))", 1, 21, "'Dens' is not supported; did you mean 'Dense'?");
  });
});
