// Shapes the code takes from its data: input_shape=x_train.shape[1:] after a Keras dataset's load_data() and the
// reshapes tutorials write (Keras's own cifar10_cnn example, the TF quickstarts), read without running the code.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';

const HEAD = `import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
`;

/** The model's input shape and parameter count after `data` lines and a one-conv model on `shape`. */
function read(data: string, shape = 'x_train.shape[1:]') {
  const r = importKerasCode(`${HEAD}${data}
model = keras.Sequential()
model.add(layers.Conv2D(4, 3, input_shape=${shape}))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation='softmax'))
`);
  return { input: r.built.inputShape, params: r.built.layers.reduce((a, l) => a + l.paramCount, 0) };
}

describe('array shapes from the code', () => {
  it("cifar10.load_data(): x_train.shape[1:] is (32, 32, 3), as in Keras's cifar10_cnn example", () => {
    const r = read(`from keras.datasets import cifar10
(x_train, y_train), (x_test, y_test) = cifar10.load_data()
x_train = x_train.astype('float32')
x_train /= 255`);
    expect(r.input).toEqual([32, 32, 3]);
    // conv 3*3*3*4 + 4; dense 30*30*4*10 + 10
    expect(r.params).toBe(3 * 3 * 3 * 4 + 4 + 30 * 30 * 4 * 10 + 10);
  });

  it('mnist reshaped to one channel in the ways tutorials write it', () => {
    const load = '(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\n';
    for (const step of [
      'x_train = x_train.reshape(x_train.shape[0], 28, 28, 1).astype("float32") / 255',
      'x_train = x_train.reshape((-1, 28, 28, 1))',
      'x_train = np.expand_dims(x_train, -1)',
      'x_train = x_train[..., tf.newaxis]',
      'x_train = x_train[:, :, :, np.newaxis] / 255.0',
    ]) {
      expect(read(load + step).input, step).toEqual([28, 28, 1]);
    }
  });

  it('a dataset module held in a variable, shape unpacked into names, and an MLP on flattened rows', () => {
    const fashion = `data = tf.keras.datasets.fashion_mnist
(train_images, train_labels), (test_images, test_labels) = data.load_data()
n, h, w = train_images.shape
x_train = train_images.reshape(n, h, w, 1)`;
    expect(read(fashion).input).toEqual([28, 28, 1]);
    expect(read(fashion, '(h, w, 1)').input).toEqual([28, 28, 1]);
    const r = importKerasCode(`${HEAD}(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 28 * 28)
inputs = keras.Input(shape=x_train.shape[1:])
outputs = layers.Dense(10, activation='softmax')(inputs)
model = keras.Model(inputs, outputs)
`);
    expect(r.built.inputShape).toEqual([784]);
    expect(r.built.layers.reduce((a, l) => a + l.paramCount, 0)).toBe(7850);
  });

  it('a reshape that does not fit, or an array of unknown origin, is refused where it is used', () => {
    const load = '(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()\n';
    expect(() => read(`${load}x_train = x_train.reshape(-1, 28, 28, 1)`)).toThrow(
      /cannot read input_shape=x_train.shape\[1:\] without running the code/,
    );
    expect(() => read('x_train = np.load("data.npy")')).toThrow(/line \d+, column \d+: .*input_shape/);
  });
});
