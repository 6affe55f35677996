// The classic papers after LeNet-5, each as the Keras code a person would write from its figure or table, sized
// for CIFAR-10 (32x32x3). Their parameter counts are worked out by hand in tests/unit/model-paper-presets.test.ts.
import type { Preset } from './code-presets';

export const ALEXNET_CIFAR = `from tensorflow import keras
from tensorflow.keras import layers

# AlexNet (Krizhevsky et al. 2012) sized for CIFAR-10, as the cuda-convnet CIFAR nets shrank it: five convs
# (64 and 192 5x5, then 384, 256, 256 3x3) with overlapping 3x3 stride-2 max pooling, two dropout-regularized
# dense layers and a 10-way softmax. The paper's local response normalization is left out (Keras has none).
model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(64, 5, padding='same', activation='relu'),
    layers.MaxPooling2D(pool_size=3, strides=2, padding='same'),
    layers.Conv2D(192, 5, padding='same', activation='relu'),
    layers.MaxPooling2D(pool_size=3, strides=2, padding='same'),
    layers.Conv2D(384, 3, padding='same', activation='relu'),
    layers.Conv2D(256, 3, padding='same', activation='relu'),
    layers.Conv2D(256, 3, padding='same', activation='relu'),
    layers.MaxPooling2D(pool_size=3, strides=2, padding='same'),
    layers.Flatten(),
    layers.Dense(1024, activation='relu'),
    layers.Dropout(0.5),
    layers.Dense(512, activation='relu'),
    layers.Dropout(0.5),
    layers.Dense(10, activation='softmax'),
])

model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
              loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=64, epochs=10, validation_split=0.1)
`;

/**
 * VGG for CIFAR-10 as people write it: one Conv2D + BatchNormalization + ReLU triple per 3x3 conv of the
 * configuration ('M' is a 2x2 max pool), then one dense layer on the 1x1x512 maps. Written out line by line,
 * the code a person would paste.
 */
function vggCode(name: string, about: string, config: (number | 'M')[]): string {
  const body = config
    .map((c) =>
      c === 'M'
        ? '    layers.MaxPooling2D(2),'
        : `    layers.Conv2D(${c}, 3, padding='same'),\n    layers.BatchNormalization(),\n    layers.Activation('relu'),`,
    )
    .join('\n');
  return `from tensorflow import keras
from tensorflow.keras import layers

${about}
model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
${body}
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
], name='${name}')

model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
              loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)
`;
}

export const VGG11_CIFAR = vggCode(
  'vgg11',
  '# VGG-11 (Simonyan & Zisserman 2015, configuration A) for CIFAR-10: 3x3 convs in five stages separated by 2x2\n' +
    '# max pooling, batch norm after every conv (as CIFAR reproductions add it), and one dense layer on the 1x1x512 maps.',
  [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
);

export const VGG16_CIFAR = vggCode(
  'vgg16',
  '# VGG-16 (Simonyan & Zisserman 2015, configuration D) for CIFAR-10: thirteen 3x3 convs in five stages separated\n' +
    '# by 2x2 max pooling, batch norm after every conv (as CIFAR reproductions add it), one dense layer on 1x1x512.',
  [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
);

export const NIN_CIFAR = `from tensorflow import keras
from tensorflow.keras import layers

# Network in Network (Lin et al. 2014) for CIFAR-10: three "mlpconv" blocks, each a spatial conv followed by two
# 1x1 convs (the micro network), then global average pooling over ten class maps instead of dense layers.
model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(192, 5, padding='same', activation='relu'),
    layers.Conv2D(160, 1, activation='relu'),
    layers.Conv2D(96, 1, activation='relu'),
    layers.MaxPooling2D(pool_size=3, strides=2, padding='same'),
    layers.Dropout(0.5),
    layers.Conv2D(192, 5, padding='same', activation='relu'),
    layers.Conv2D(192, 1, activation='relu'),
    layers.Conv2D(192, 1, activation='relu'),
    layers.AveragePooling2D(pool_size=3, strides=2, padding='same'),
    layers.Dropout(0.5),
    layers.Conv2D(192, 3, padding='same', activation='relu'),
    layers.Conv2D(192, 1, activation='relu'),
    layers.Conv2D(10, 1, activation='relu'),
    layers.GlobalAveragePooling2D(),
    layers.Activation('softmax'),
], name='network_in_network')

model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
              loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)
`;

export const RESNET20_CIFAR = `from tensorflow import keras
from tensorflow.keras import layers

# ResNet-20 for CIFAR-10 (He et al. 2016, section 4.2): a 3x3 conv, then three stages of three residual blocks
# with 16, 32 and 64 filters (the feature maps halve where the filters double), global average pooling and a
# 10-way softmax. 6n+2 = 20 weighted layers for n = 3; the shortcut that changes shape is a 1x1 projection.
def residual_block(x, filters):
    y = layers.Conv2D(filters, 3, padding='same', kernel_initializer='he_normal')(x)
    y = layers.BatchNormalization()(y)
    y = layers.Activation('relu')(y)
    y = layers.Conv2D(filters, 3, padding='same', kernel_initializer='he_normal')(y)
    y = layers.BatchNormalization()(y)
    y = layers.Add()([x, y])
    return layers.Activation('relu')(y)

def downsampling_block(x, filters):
    y = layers.Conv2D(filters, 3, strides=2, padding='same', kernel_initializer='he_normal')(x)
    y = layers.BatchNormalization()(y)
    y = layers.Activation('relu')(y)
    y = layers.Conv2D(filters, 3, padding='same', kernel_initializer='he_normal')(y)
    y = layers.BatchNormalization()(y)
    shortcut = layers.Conv2D(filters, 1, strides=2, kernel_initializer='he_normal')(x)
    y = layers.Add()([shortcut, y])
    return layers.Activation('relu')(y)

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding='same', kernel_initializer='he_normal')(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation('relu')(x)
x = residual_block(x, 16)
x = residual_block(x, 16)
x = residual_block(x, 16)
x = downsampling_block(x, 32)
x = residual_block(x, 32)
x = residual_block(x, 32)
x = downsampling_block(x, 64)
x = residual_block(x, 64)
x = residual_block(x, 64)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs, outputs, name='resnet20')

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001),
              loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=32, epochs=10, validation_split=0.1)
`;

/** MobileNet v1's 13 depthwise-separable blocks at width 0.25: [pointwise filters, depthwise stride]. */
const MOBILENET_BLOCKS: [number, number][] = [
  [16, 1],
  [32, 2],
  [32, 1],
  [64, 2],
  [64, 1],
  [128, 2],
  ...Array.from({ length: 5 }, (): [number, number] => [128, 1]),
  [256, 2],
  [256, 1],
];

export const MOBILENET_025_CIFAR = `from tensorflow import keras
from tensorflow.keras import layers

# MobileNet v1 (Howard et al. 2017) at width multiplier 0.25 for 32x32 inputs: every block is a 3x3 depthwise
# conv and a 1x1 pointwise conv, each with batch norm and ReLU6. The first conv keeps stride 1 (the ImageNet
# network's stride 2 would leave 1x1 maps at the end for a 32x32 image); the four stride-2 blocks stay.
def depthwise_block(x, filters, strides):
    x = layers.DepthwiseConv2D(3, strides=strides, padding='same', use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU(6.)(x)
    x = layers.Conv2D(filters, 1, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU(6.)(x)

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(8, 3, padding='same', use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.ReLU(6.)(x)
${MOBILENET_BLOCKS.map(([filters, strides]) => `x = depthwise_block(x, ${filters}, ${strides})`).join('\n')}
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs, outputs, name='mobilenet_0.25')

model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=32, epochs=10, validation_split=0.1)
`;

export const PAPER_PRESETS: Preset[] = [
  { id: 'alexnet-cifar10', title: 'AlexNet (CIFAR-10 size)', code: ALEXNET_CIFAR, figure: 'two-stream' },
  { id: 'vgg11-cifar10', title: 'VGG-11 with batch norm (CIFAR-10)', code: VGG11_CIFAR },
  { id: 'vgg16-cifar10', title: 'VGG-16 with batch norm (CIFAR-10)', code: VGG16_CIFAR },
  { id: 'nin-cifar10', title: 'Network in Network (CIFAR-10)', code: NIN_CIFAR },
  { id: 'resnet20-cifar10', title: 'ResNet-20 (CIFAR-10, 0.27M)', code: RESNET20_CIFAR },
  { id: 'mobilenet-025-cifar10', title: 'MobileNet v1, width 0.25 (32x32)', code: MOBILENET_025_CIFAR },
];
