// Where models live in code from the wild: built in a class (self.model), in functions called with
// arguments, in a Sequential subclass, or passed to helper functions; and activation objects.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { codeRefusal } from '../helpers/keras';

const rows = (src: string) =>
  importKerasCode(src).built.layers.map((l) => [l.layer.className, l.outputShape, l.paramCount]);

describe('Keras code import: models built in classes and functions', () => {
  it('self.model in a class, built with the arguments the instance is made with', () => {
    const r = importKerasCode(
      [
        'class CNN:',
        '    def __init__(self, input_shape=(28, 28, 1), num_classes=10):',
        '        self.model = Sequential()',
        "        self.model.add(Conv2D(8, (3, 3), activation='relu', input_shape=input_shape))",
        '        self.model.add(Flatten())',
        "        self.model.add(Dense(num_classes, activation='softmax'))",
        '',
        '    def train(self, x, y):',
        "        self.model.compile(optimizer='sgd', loss='categorical_crossentropy')",
        '        self.model.fit(x, y, epochs=4)',
        '',
        'net = CNN(input_shape=(10, 10, 3), num_classes=5)',
        'net.train(x_train, y_train)',
      ].join('\n'),
    );
    expect(r.built.inputShape).toEqual([10, 10, 3]);
    // conv 3x3 valid: 8x8x8, (3*3*3+1)*8 = 224; flatten 8*8*8 = 512; dense 512*5+5 = 2565.
    expect(r.built.layers.map((l) => [l.outputShape, l.paramCount])).toEqual([
      [[8, 8, 8], 224],
      [[512], 0],
      [[5], 2565],
    ]);
    expect(r.training).toMatchObject({ loss: 'categorical_crossentropy', epochs: 4 });
  });

  it('self.model = self.build() and attributes set in __init__', () => {
    const src = [
      'class Builder:',
      '    def __init__(self, n):',
      '        self.n = n',
      '        self.model = self.build()',
      '    def build(self):',
      '        model = Sequential()',
      '        model.add(Dense(self.n, input_shape=(4,)))',
      '        return model',
      'b = Builder(7)',
    ].join('\n');
    // 4*7 + 7 = 35
    expect(rows(src)).toEqual([['Dense', [7], 35]]);
  });

  it('a function called with arguments, a model passed to a helper, everything under main()', () => {
    const r = importKerasCode(
      [
        'def build_model(input_shape, num_classes):',
        '    model = Sequential()',
        '    model.add(Flatten(input_shape=input_shape))',
        '    model.add(Dense(num_classes))',
        '    return model',
        '',
        'def compile_model(model, lr=0.01):',
        "    model.compile(optimizer=SGD(learning_rate=lr), loss='categorical_crossentropy')",
        '',
        'def main():',
        '    model = build_model((8, 8, 1), 3)',
        '    compile_model(model, lr=0.2)',
        '    model.fit(x, y, epochs=2)',
        '',
        "if __name__ == '__main__':",
        '    main()',
      ].join('\n'),
    );
    // flatten 8*8*1 = 64; dense 64*3+3 = 195
    expect(r.built.layers.map((l) => [l.outputShape, l.paramCount])).toEqual([
      [[64], 0],
      [[3], 195],
    ]);
    expect(r.training.optimizer).toMatchObject({ name: 'sgd', learning_rate: 0.2 });
    expect(r.training.epochs).toBe(2);
  });

  it('a class that is a Sequential (self.add), and a function nobody calls', () => {
    const sub = [
      'class Net(keras.Sequential):',
      '    def __init__(self, classes=4):',
      '        super().__init__()',
      '        self.add(Dense(16, input_shape=(8,)))',
      '        self.add(Dense(classes))',
      'model = Net(classes=2)',
    ].join('\n');
    // 8*16+16 = 144; 16*2+2 = 34
    expect(rows(sub)).toEqual([
      ['Dense', [16], 144],
      ['Dense', [2], 34],
    ]);
    // 2*3+3 = 9: read with its defaults since the snippet only defines it.
    expect(
      rows('def create_model(units=3):\n    return Sequential([Dense(units, input_shape=(2,))])'),
    ).toEqual([['Dense', [3], 9]]);
  });

  it('a subclassed keras.Model is refused at its class line, with what to write', () => {
    const k = codeRefusal(
      'import keras\n\nclass MyModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n' +
        '        self.features = Sequential([Dense(4, input_shape=(3,))])\n    def call(self, x):\n' +
        '        return self.features(x)\nmodel = MyModel()',
    );
    expect([k.line, k.column]).toEqual([3, 1]);
    expect(k.message).toBe(
      'line 3, column 1: class MyModel subclasses keras.Model: its layers are connected in call(), which only ' +
        'running the code would show; write the network as keras.Sequential([...]), model.add(...) lines or ' +
        'the functional API (x = layers.Dense(10)(x) ... keras.Model(inputs, outputs))',
    );
  });

  it('PyTorch pasted by mistake is named as such, with the Keras spelling of its layers', () => {
    const src =
      'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
      '        self.fc = nn.Linear(784, 10)\n    def forward(self, x):\n        return self.fc(x)\n\nnet = Net()';
    expect(codeRefusal(src).message).toBe(
      'line 3, column 1: class Net is a PyTorch nn.Module, not Keras; Paperweight reads Keras code: write the ' +
        'network as keras.Sequential([...]) (nn.Conv2d -> layers.Conv2D, nn.Linear -> layers.Dense, ' +
        'nn.MaxPool2d -> layers.MaxPooling2D, nn.ReLU -> layers.ReLU)',
    );
  });

  it('code that would take too long to read is refused at the statement where reading stopped', () => {
    // 3 nested loops of 100 passes: about 1,000,000 statements, more than the 100,000-step budget. Steps:
    // 2 (lines 1-2), then 10,101 per pass of a (line 3, then 100 x (line 4 + 100 x line 5)); 9 passes of a,
    // line 3 and 89 passes of b make 99,901; the next pass of b is line 4 (99,902) and line 5 up to 100,001.
    const src = [
      'model = Sequential([Dense(2, input_shape=(2,))])',
      'for a in range(100):',
      '    for b in range(100):',
      '        for c in range(100):',
      '            x = a',
    ].join('\n');
    const e = codeRefusal(src);
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/reading this code takes more than 100,000 steps/);
  });
});

describe('Keras code import: activations as attributes and objects', () => {
  it('keras.activations.relu and tf.nn.relu read as their names', () => {
    const r = importKerasCode(
      'model = Sequential([\n    Dense(4, activation=keras.activations.relu, input_shape=(2,)),\n' +
        '    Dense(2, activation=tf.nn.softmax),\n])',
    );
    expect(r.model.layers.map((l) => (l.config as { activation?: string }).activation)).toEqual([
      'relu',
      'softmax',
    ]);
  });

  it('activation=LeakyReLU(0.1) becomes the same activation as its own layer, with a note', () => {
    const r = importKerasCode(
      'model = Sequential()\nmodel.add(Conv2D(4, 3, activation=LeakyReLU(0.1), input_shape=(6, 6, 1)))\n' +
        'model.add(Flatten())\nmodel.add(Dense(2, activation=layers.ReLU()))',
    );
    // conv: (3*3*1+1)*4 = 40 -> 4x4x4; flatten 64; dense 64*2+2 = 130.
    expect(r.built.layers.map((l) => [l.layer.className, l.outputShape, l.paramCount])).toEqual([
      ['Conv2D', [4, 4, 4], 40],
      ['Activation', [4, 4, 4], 0],
      ['Flatten', [64], 0],
      ['Dense', [2], 130],
      ['Activation', [2], 0],
    ]);
    expect(r.model.layers[0].config).toMatchObject({ activation: 'linear' });
    expect(r.model.layers[1].config).toMatchObject({ activation: 'leaky_relu', alpha: 0.1 });
    expect(r.model.layers[4].config).toMatchObject({ activation: 'relu' });
    expect(r.warnings).toEqual([
      // `model.add(Conv2D(4, 3, activation=` is 34 characters.
      'line 2, column 35: Conv2D: activation=LeakyReLU(0.1) is a layer object; read as Conv2D(...) followed by ' +
        "LeakyReLU(0.1) as its own layer (the same network; Keras's summary shows it inside Conv2D)",
      'line 4, column 31: Dense: activation=layers.ReLU() is a layer object; read as Dense(...) followed by ' +
        "layers.ReLU() as its own layer (the same network; Keras's summary shows it inside Dense)",
    ]);
  });
});

describe('Keras code import: assignments', () => {
  it('unpacks h, w = 32, 64 and (a, b), c = ... item by item; a = b = 3 gives both', () => {
    const src = [
      'h, w = 12, 16',
      '(c, n), k = (2, 5), 3',
      'f = g = 4',
      'model = Sequential([Conv2D(f, k, input_shape=(h, w, c)), Flatten(), Dense(n)])',
    ].join('\n');
    const r = importKerasCode(src);
    expect(r.built.inputShape).toEqual([12, 16, 2]);
    // conv 3x3, 2 -> 4 channels: 3*3*2*4+4 = 76, 10x14x4; flatten 560; dense 560*5+5 = 2805.
    expect(r.built.layers.map((l) => [l.outputShape, l.paramCount])).toEqual([
      [[10, 14, 4], 76],
      [[560], 0],
      [[5], 2805],
    ]);
  });
});

describe('Keras code import: names imported under another name', () => {
  it('from keras.layers import Conv2D as C2D: C2D(...) is a Conv2D', () => {
    const r = importKerasCode(
      [
        'from keras.models import Sequential as Seq',
        'from keras.layers import (Conv2D as C2D,',
        '                          Dense as FC, Flatten)',
        'import numpy as np',
        'model = Seq([C2D(4, 3, input_shape=(5, 5, 1)), Flatten(), FC(2)])',
      ].join('\n'),
    );
    // (3*3*1+1)*4 = 40 -> 3x3x4 = 36 -> 36*2+2 = 74
    expect(r.built.layers.map((l) => [l.layer.className, l.paramCount])).toEqual([
      ['Conv2D', 40],
      ['Flatten', 0],
      ['Dense', 74],
    ]);
  });
});
