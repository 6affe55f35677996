// The presets of the model panel, as the Keras code people write. The paper-figure LeNet-5 comes first and is
// the default: it is the network of the seed article, line for line.
import { PAPER_PRESETS } from './paper-presets';

export interface Preset {
  id: string;
  title: string;
  code: string;
  /** How its paper draws it, when not as a plain chain: 'two-stream' is AlexNet's two-GPU figure. */
  figure?: 'two-stream';
}

export const PAPER_LENET5 = `from tensorflow import keras
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Dropout

# LeNet-5 as the paper figure draws it: 32x32 input, two conv/pool stages, then dense layers.
model = Sequential()
model.add(Conv2D(filters=6, kernel_size=(5,5), padding='valid', input_shape=(32,32,1), activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(filters=16, kernel_size=(5,5), padding='valid', activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(120, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(10, activation='softmax'))

model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=64, epochs=5, validation_split=0.1)
`;

const CLASSIC_LENET5 = `from tensorflow import keras
from tensorflow.keras import layers

# LeNet-5 as LeCun et al. (1998) built it: tanh units, average pooling (subsampling), C5 with 120 maps,
# the 84-unit F6 layer, and plain SGD.
model = keras.Sequential([
    keras.Input(shape=(32, 32, 1)),
    layers.Conv2D(6, kernel_size=5, activation='tanh'),
    layers.AveragePooling2D(pool_size=2),
    layers.Conv2D(16, kernel_size=5, activation='tanh'),
    layers.AveragePooling2D(pool_size=2),
    layers.Conv2D(120, kernel_size=5, activation='tanh'),
    layers.Flatten(),
    layers.Dense(84, activation='tanh'),
    layers.Dense(10, activation='softmax'),
])

model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
              loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=32, epochs=5, validation_split=0.1)
`;

/** ConvNetJS's demo networks: stages of a 5x5 'same' ReLU conv with `filters` and a `pool` max pooling. */
function convnetjsPreset(
  about: string,
  input: string,
  stages: [filters: number, pool: number][],
  compile: string,
  fit: string,
): string {
  const convs = stages
    .map(
      ([filters, pool]) =>
        `    layers.Conv2D(${filters}, 5, padding='same', activation='relu'),\n` +
        `    layers.MaxPooling2D(pool_size=${pool}, strides=${pool}),\n`,
    )
    .join('');
  return `from tensorflow import keras
from tensorflow.keras import layers

# ${about}
model = keras.Sequential([
    keras.Input(shape=${input}),
${convs}    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])

model.compile(${compile})
model.fit(x_train, y_train, ${fit}, validation_split=0.1)
`;
}

const CONVNETJS_MNIST = convnetjsPreset(
  "The network of ConvNetJS's MNIST demo: two conv/pool stages with 8 and 16 filters, then softmax.",
  '(24, 24, 1)',
  [
    [8, 2],
    [16, 3],
  ],
  `optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
              loss='sparse_categorical_crossentropy', metrics=['accuracy']`,
  'batch_size=20, epochs=3',
);

const CONVNETJS_CIFAR = convnetjsPreset(
  "The network of ConvNetJS's CIFAR-10 demo: three conv/pool stages with 16, 20 and 20 filters.",
  '(32, 32, 3)',
  [
    [16, 2],
    [20, 2],
    [20, 2],
  ],
  "optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy']",
  'batch_size=32, epochs=10',
);

const MLP = `from tensorflow import keras
from tensorflow.keras import layers

# A multilayer perceptron: the image flattened into 784 numbers, two hidden layers.
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Flatten(),
    layers.Dense(256, activation='relu'),
    layers.Dropout(0.2),
    layers.Dense(128, activation='relu'),
    layers.Dense(10, activation='softmax'),
])

model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=128, epochs=5, validation_split=0.1)
`;

const SMALL_VGG = `from tensorflow import keras
from tensorflow.keras import layers

# A small VGG-style CIFAR-10 net: blocks of two 3x3 convolutions followed by 2x2 max-pooling.
model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, (3, 3), padding='same', activation='relu'),
    layers.Conv2D(32, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
    layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(128, (3, 3), padding='same', activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(128, activation='relu'),
    layers.Dropout(0.5),
    layers.Dense(10, activation='softmax'),
])

model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=64, epochs=10, validation_split=0.1)
`;

export const PRESETS: Preset[] = [
  { id: 'lenet5-paper', title: 'LeNet-5 (paper figure)', code: PAPER_LENET5 },
  { id: 'lenet5-classic', title: 'LeNet-5 (classic: tanh, average pooling, F6 84)', code: CLASSIC_LENET5 },
  { id: 'convnetjs-mnist', title: 'ConvNetJS MNIST net', code: CONVNETJS_MNIST },
  { id: 'convnetjs-cifar10', title: 'ConvNetJS CIFAR-10 net', code: CONVNETJS_CIFAR },
  { id: 'mlp', title: 'MLP (784-256-128-10)', code: MLP },
  { id: 'vgg-small', title: 'Small VGG-style CIFAR-10 net', code: SMALL_VGG },
  ...PAPER_PRESETS,
];

export const DEFAULT_PRESET = PRESETS[0];
