// Keras 1 / early Keras 2 spellings: read as Keras 2's legacy interface read them, each with a one-line note
// at its line and column. Columns are counted by hand in the comments.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { codeRefusal, expectCodeRefusedAt } from '../helpers/keras';

describe('Keras code import: Keras 1 spellings', () => {
  it('Convolution2D(32, 3, 3, border_mode=...) is a 3x3 kernel, with one note per rewrite', () => {
    const r = importKerasCode(
      [
        'model = Sequential()',
        "model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))",
      ].join('\n'),
    );
    expect(r.model.layers[0].config).toMatchObject({ filters: 32, kernel_size: [3, 3], strides: [1, 1] });
    expect(r.model.layers[0].config).toMatchObject({ padding: 'same' });
    // (3*3*1+1)*32 = 320; 'same' keeps 28x28.
    expect(r.built.layers[0].outputShape).toEqual([28, 28, 32]);
    expect(r.built.paramCount).toBe(320);
    expect(r.warnings).toEqual([
      // `model.add(Convolution2D(32, ` is 28 characters: the first 3 is at column 29.
      'line 2, column 29: Convolution2D(32, 3, 3) is the Keras 1 form (nb_filter, nb_row, nb_col): read as a ' +
        '3x3 kernel, as Keras 2 did (Keras 3 would read strides=3); write Convolution2D(32, (3, 3))',
      // ... `3, 3, ` adds 6: border_mode at column 35.
      "line 2, column 35: Convolution2D: border_mode='same' is the Keras 1 spelling; read as padding='same' " +
        '(write that: Keras 3 has no border_mode=)',
    ]);
  });

  it('Conv2D(32, 3, 3) too; with padding= written the Keras 3 way the third number is strides', () => {
    const k2 = importKerasCode('model = Sequential([Conv2D(8, 5, 5, input_shape=(32, 32, 3))])');
    expect(k2.model.layers[0].config).toMatchObject({ kernel_size: [5, 5], strides: [1, 1] });
    expect(k2.built.layers[0].outputShape).toEqual([28, 28, 8]);
    expect(k2.warnings).toHaveLength(1);
    // `model = Sequential([Conv2D(8, ` is 30 characters.
    expect(k2.warnings[0]).toMatch(/^line 1, column 31: Conv2D\(8, 5, 5\) is the Keras 1 form/);
    const k3 = importKerasCode(
      "model = Sequential([Conv2D(8, 3, 2, padding='same', input_shape=(32, 32, 3))])",
    );
    expect(k3.model.layers[0].config).toMatchObject({ kernel_size: [3, 3], strides: [2, 2] });
    expect(k3.built.layers[0].outputShape).toEqual([16, 16, 8]);
    expect(k3.warnings).toEqual([]);
  });

  it('keyword forms: nb_filter, nb_row / nb_col, subsample, init, W_regularizer, dim_ordering', () => {
    const r = importKerasCode(
      'model = Sequential([\n' +
        "    Convolution2D(nb_filter=6, nb_row=5, nb_col=3, subsample=(2, 2), init='he_normal',\n" +
        "                  W_regularizer=l2(0.01), dim_ordering='tf', input_shape=(29, 29, 1)),\n" +
        "    MaxPooling2D(pool_size=(2, 2), strides=None, border_mode='valid', dim_ordering='default'),\n" +
        '])',
    );
    expect(r.model.layers[0].config).toMatchObject({
      filters: 6,
      kernel_size: [5, 3],
      strides: [2, 2],
      kernel_initializer: 'he_normal',
    });
    // 'valid', stride 2: floor((29-5)/2)+1 = 13 rows, floor((29-3)/2)+1 = 14 columns; pool 2: 6 x 7.
    expect(r.built.layers.map((l) => l.outputShape)).toEqual([
      [13, 14, 6],
      [6, 7, 6],
    ]);
    // 5*3*1*6 + 6 = 96
    expect(r.built.paramCount).toBe(96);
    const notes = r.warnings.filter((w) => w.includes('Keras 1'));
    expect(notes.map((w) => /^line (\d+), column (\d+): (\w+): (\w+)/.exec(w)?.slice(1))).toEqual([
      ['2', '19', 'Convolution2D', 'nb_filter'],
      ['2', '32', 'Convolution2D', 'nb_row'],
      ['2', '52', 'Convolution2D', 'subsample'],
      ['2', '70', 'Convolution2D', 'init'],
      ['3', '19', 'Convolution2D', 'W_regularizer'],
      ['3', '43', 'Convolution2D', 'dim_ordering'],
      // 4 spaces, `MaxPooling2D(pool_size=(2, 2), strides=None, ` is 45 more: column 50, then 21 more.
      ['4', '50', 'MaxPooling2D', 'border_mode'],
      ['4', '71', 'MaxPooling2D', 'dim_ordering'],
    ]);
    expect(notes[1]).toBe(
      'line 2, column 32: Convolution2D: nb_row=5, nb_col=3 is the Keras 1 spelling; read as kernel_size=(5, 3) ' +
        '(write that: Keras 3 has no nb_row / nb_col)',
    );
    expect(notes[7]).toBe(
      "line 4, column 71: MaxPooling2D: dim_ordering='default' is Keras 1's default; dropped (remove it)",
    );
  });

  it('Dense(output_dim=...), init, bias, Dropout(p=...), fit(nb_epoch=...), Adam(lr=...)', () => {
    const r = importKerasCode(
      [
        'model = Sequential()',
        "model.add(Dense(output_dim=64, input_dim=100, init='uniform', bias=False))",
        'model.add(Dropout(p=0.25))',
        'model.add(Dense(10))',
        'opt = SGD(lr=0.05, momentum=0.9)',
        "model.compile(loss='categorical_crossentropy', optimizer=opt)",
        'model.fit(X, Y, nb_epoch=7, batch_size=16)',
      ].join('\n'),
    );
    expect(r.model.layers[0].config).toMatchObject({
      units: 64,
      use_bias: false,
      kernel_initializer: 'random_uniform',
    });
    expect(r.model.layers[1].config).toMatchObject({ rate: 0.25 });
    // 100*64 (no bias) + (64*10 + 10) = 6400 + 650 = 7050
    expect(r.built.paramCount).toBe(7050);
    expect(r.training).toMatchObject({ epochs: 7, batch_size: 16 });
    expect(r.training.optimizer).toMatchObject({ name: 'sgd', learning_rate: 0.05, momentum: 0.9 });
    expect(r.warnings.map((w) => /^line \d+, column \d+: [^=]+=/.exec(w)?.[0])).toEqual([
      'line 2, column 17: Dense: output_dim=',
      'line 2, column 47: Dense: init=',
      'line 2, column 63: Dense: bias=',
      'line 3, column 19: Dropout: p=',
      'line 5, column 11: SGD: lr=',
      'line 7, column 17: fit: nb_epoch=',
    ]);
    expect(r.warnings[4]).toBe(
      'line 5, column 11: SGD: lr=0.05 is the Keras 2 spelling; read as learning_rate=0.05 (write that: Keras 3 ' +
        'has no lr=)',
    );
  });

  it("padding='Same' / 'SAME' / 'VALID' as Keras reads them, keyword or positional", () => {
    const r = importKerasCode(
      [
        'model = Sequential()',
        "model.add(Conv2D(4, 3, padding='Same', input_shape=(9, 9, 1)))",
        "model.add(MaxPooling2D((2, 2), (2, 2), 'SAME'))",
        "model.add(Conv2D(4, (3, 3), padding='VALID'))",
      ].join('\n'),
    );
    // same: 9x9; pool same stride 2: ceil(9/2) = 5; valid 3x3: 3.
    expect(r.built.layers.map((l) => l.outputShape)).toEqual([
      [9, 9, 4],
      [5, 5, 4],
      [3, 3, 4],
    ]);
    expect(r.model.layers.map((l) => (l.config as { padding?: string }).padding)).toEqual([
      'same',
      'same',
      'valid',
    ]);
  });

  it('refuses what Keras 1 meant and Paperweight cannot do, at its place', () => {
    expectCodeRefusedAt(
      "model = Sequential([Convolution2D(6, 5, 5, dim_ordering='th', input_shape=(1, 28, 28))])",
      [1, 44],
      "dim_ordering='th' (Theano's channels-first order) is not supported",
      'give input_shape as (height, width, channels)',
    );
    const e = expectCodeRefusedAt(
      'model = Sequential([Convolution2D(6, nb_row=5, input_shape=(28, 28, 1))])',
      [1, 38],
    );
    expect(e.message).toBe(
      "line 1, column 38: Convolution2D: nb_row without nb_col; Keras 1's nb_row and nb_col are the kernel's " +
        'height and width: write kernel_size=(rows, cols)',
    );
  });

  it("BatchNormalization(mode=0) is today's layer; other modes are refused with the fix", () => {
    const r = importKerasCode('model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(mode=0)])');
    // 3*4+4 = 16; 4 channels * 4 = 16.
    expect(r.built.paramCount).toBe(32);
    // `model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(` is 67 characters.
    expect(r.warnings).toEqual([
      "line 1, column 68: BatchNormalization: mode=0 is Keras 1's default; dropped (remove it)",
    ]);
    const e = codeRefusal('model = Sequential([Dense(4, input_shape=(3,)), BatchNormalization(mode=2)])');
    expect(e.message).toBe(
      "line 1, column 68: BatchNormalization: mode=2 is Keras 1's feature-wise or per-sample normalization, " +
        'which Keras 2 removed; write BatchNormalization() (mode 0: normalize each channel over the batch)',
    );
  });

  it('Model(input=..., output=...) of the Keras 1 functional API', () => {
    const r = importKerasCode(
      'inp = Input(shape=(3,))\nout = Dense(2)(inp)\nmodel = Model(input=inp, output=out)',
    );
    // 3*2+2 = 8
    expect(r.built.paramCount).toBe(8);
    // `model = Model(` is 14 characters; `input=inp, ` is 11 more.
    expect(r.warnings).toEqual([
      'line 3, column 15: Model: input= is the Keras 1 spelling; read as inputs= (write that: Keras 3 has no input=)',
      'line 3, column 26: Model: output= is the Keras 1 spelling; read as outputs= (write that: Keras 3 has no ' +
        'output=)',
    ]);
  });

  it("input_shape=(3, 32, 32) in Theano's channels-first order is read channels last, with a note", () => {
    const r = importKerasCode(
      'model = Sequential()\nmodel.add(Convolution2D(8, 3, 3, input_shape=(3, 32, 32)))\nmodel.add(Flatten())',
    );
    expect(r.built.inputShape).toEqual([32, 32, 3]);
    // 3*3*3*8 + 8 = 224; valid 3x3: 30x30x8.
    expect(r.built.layers.map((l) => [l.outputShape, l.paramCount])).toEqual([
      [[30, 30, 8], 224],
      [[7200], 0],
    ]);
    // `model.add(Convolution2D(8, 3, 3, ` is 33 characters.
    expect(r.warnings[1]).toBe(
      "line 2, column 34: Convolution2D: input_shape=(3, 32, 32) puts the channels first (Theano's order, Keras " +
        "1's dim_ordering='th'); read as input_shape=(32, 32, 3) since Paperweight is channels_last (write that)",
    );
    // Keras.Input(batch_shape=(None, 1, 28, 28)) too; (28, 28, 1) and (4, 8, 8) are left as written.
    expect(
      importKerasCode('model = Sequential([Input(batch_shape=(None, 1, 28, 28)), Flatten()])').built
        .inputShape,
    ).toEqual([28, 28, 1]);
    const plain = importKerasCode('model = Sequential([Input(shape=(4, 8, 8)), Flatten()])');
    expect(plain.built.inputShape).toEqual([4, 8, 8]);
    expect(plain.warnings).toEqual([]);
  });

  it('Conv2D(32, 3, nb_col=3): the positional row and the keyword column', () => {
    const r = importKerasCode('model = Sequential([Conv2D(2, 3, nb_col=1, input_shape=(5, 5, 1))])');
    expect(r.model.layers[0].config).toMatchObject({ kernel_size: [3, 1] });
    // 3*1*1*2 + 2 = 8
    expect(r.built.paramCount).toBe(8);
  });
});
