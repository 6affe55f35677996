// What to say about a layer class Paperweight does not read: for Keras layers people really write, what the
// layer does in Keras and what to write instead (by meaning, not by spelling: Embedding is nothing like
// ZeroPadding2D); for a near-miss spelling of a supported layer, that layer; otherwise the supported list.
import { editDistance } from './errors';

interface Hint {
  /** What Keras does with these layers. */
  does: string;
  /** What to write instead; `has` tells which layers Paperweight reads, to name only real alternatives. */
  instead: (has: (name: string) => boolean) => string;
}

const SEQUENCES: Hint = {
  does: 'in Keras it works on sequences (text, time series)',
  instead: () =>
    'Paperweight trains image networks (Conv2D, pooling and Dense layers on (height, width, channels) ' +
    'inputs), so this model needs Keras itself',
};
const THREE_D_OR_1D: Hint = {
  does: 'in Keras it works on 1-D signals or 3-D volumes',
  instead: () =>
    'Paperweight has the 2-D layers: use Conv2D / MaxPooling2D / AveragePooling2D on (height, width, channels) inputs',
};
const AUGMENTATION: Hint = {
  does: 'in Keras it changes training images at random and does nothing at inference',
  instead: () => 'remove it: Paperweight trains on the images as loaded (the network is the same without it)',
};
const NOISE: Hint = {
  does: 'in Keras it is a regularizer active only in training',
  instead: () => 'use Dropout(rate) in its place, or remove it',
};
const GENERATIVE: Hint = {
  does: 'in Keras it makes images larger (decoders, segmentation)',
  instead: () => 'Paperweight trains classifiers, whose layers only keep or shrink the image; remove it',
};

const HINTS: Record<string, Hint> = {
  Lambda: {
    does: 'in Keras it runs a Python function, which Paperweight never does',
    instead: (has) =>
      'write the computation with built-in layers' +
      (has('Rescaling')
        ? ' (Rescaling(1./255) for x / 255, Activation for a function of x)'
        : ' (Activation for a function of x)'),
  },
  GlobalMaxPooling2D: {
    does: 'in Keras it takes the maximum of each feature map',
    instead: (has) =>
      has('GlobalAveragePooling2D')
        ? 'use GlobalAveragePooling2D() (the mean instead) or Flatten()'
        : 'use Flatten()',
  },
  BatchNormalization: {
    does: 'in Keras it normalizes each channel over the batch',
    instead: () =>
      "Paperweight's engine has no batch normalization yet; remove the BatchNormalization layers (the network " +
      'still trains, usually with a smaller learning rate)',
  },
  LayerNormalization: {
    does: 'in Keras it normalizes each sample over its features',
    instead: (has) =>
      has('BatchNormalization')
        ? 'use BatchNormalization() or remove it'
        : 'remove it (the network still trains)',
  },
  SeparableConv2D: {
    does: 'in Keras it is a depthwise then a 1x1 convolution',
    instead: () =>
      'use Conv2D with the same filters, kernel_size and padding (same output shape, more parameters)',
  },
  DepthwiseConv2D: {
    does: 'in Keras it convolves each channel on its own',
    instead: () => 'use Conv2D with as many filters as input channels (same output shape, more parameters)',
  },
  Reshape: {
    does: 'in Keras it changes the shape of each sample',
    instead: () =>
      'use Flatten() to go from feature maps to a vector; give images their shape with input_shape',
  },
  Permute: {
    does: 'in Keras it reorders the axes',
    instead: () =>
      'remove it and give input_shape as (height, width, channels) (Paperweight is channels_last)',
  },
  Cropping2D: {
    does: 'in Keras it cuts rows and columns off the border',
    instead: () =>
      "crop the images when you prepare the dataset, or use padding='valid' convolutions to shrink them",
  },
  PReLU: {
    does: 'in Keras it is a leaky relu whose slope is learned',
    instead: () => 'use LeakyReLU(negative_slope=0.25) (a fixed slope)',
  },
  ThresholdedReLU: {
    does: 'in Keras it zeroes values below a threshold',
    instead: () => "use ReLU() or Activation('relu')",
  },
  Normalization: {
    does: 'in Keras it standardizes inputs with statistics adapted to the data',
    instead: () => 'remove it: Paperweight scales the pixels it loads to [0, 1]',
  },
  Resizing: {
    does: 'in Keras it resizes the input images',
    instead: () =>
      'remove it and give input_shape the size of your images (datasets are resized when loaded)',
  },
  ActivityRegularization: { does: 'in Keras it adds a penalty to the loss', instead: () => 'remove it' },
  // Keras 1 layers that Keras 2 removed or renamed.
  Merge: {
    does: "it is Keras 1's merge of Sequential models, removed in Keras 2",
    instead: () => 'use the functional API: x = layers.concatenate([a, b]) (or layers.add([a, b]))',
  },
  Highway: { does: 'it is a Keras 1 layer removed in Keras 2', instead: () => 'use Dense layers' },
  MaxoutDense: { does: 'it is a Keras 1 layer removed in Keras 2', instead: () => 'use Dense layers' },
  AtrousConvolution2D: {
    does: "it is Keras 1's dilated convolution",
    instead: () => 'Paperweight has no dilated convolutions; use Conv2D with a larger kernel_size',
  },
  Deconvolution2D: {
    does: "it is Keras 1's transposed convolution",
    instead: (has) =>
      has('Conv2DTranspose') ? 'write Conv2DTranspose(filters, kernel_size, strides=...)' : 'remove it',
  },
  Masking: SEQUENCES,
};
for (const n of ['Embedding', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'TimeDistributed', 'ConvLSTM2D'])
  HINTS[n] = SEQUENCES;
for (const n of ['MultiHeadAttention', 'Attention', 'AdditiveAttention', 'TextVectorization', 'RNN'])
  HINTS[n] = SEQUENCES;
for (const d of ['1D', '3D']) {
  for (const n of ['Conv', 'MaxPooling', 'AveragePooling', 'GlobalAveragePooling', 'GlobalMaxPooling'])
    HINTS[`${n}${d}`] = THREE_D_OR_1D;
  for (const n of ['ZeroPadding', 'MaxPool', 'AvgPool', 'UpSampling', 'Cropping'])
    HINTS[`${n}${d}`] = THREE_D_OR_1D;
}
for (const n of ['Conv1D', 'Conv3D']) HINTS[n.replace('Conv', 'Convolution')] = THREE_D_OR_1D;
for (const n of ['Flip', 'Rotation', 'Zoom', 'Crop', 'Translation', 'Contrast', 'Brightness'])
  HINTS[`Random${n}`] = AUGMENTATION;
for (const n of ['GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'SpatialDropout2D']) HINTS[n] = NOISE;
for (const n of ['UpSampling2D', 'Conv2DTranspose', 'Convolution2DTranspose']) HINTS[n] = GENERATIVE;

/**
 * The message for a layer class name Paperweight does not read: "'Embedding' is not supported: in Keras it
 * ...; <what to write instead>". `supported` lists the names it does read.
 */
export function unsupportedLayerMessage(written: string, supported: readonly string[]): string {
  const has = (name: string) => supported.includes(name);
  const hint = HINTS[written];
  if (hint) return `'${written}' is not supported: ${hint.does}; ${hint.instead(has)}`;
  // A misspelling of a supported layer (Conv2d, Dense2, Maxpooling2D): close in spelling and in length.
  const close = supported.filter((s) => editDistance(written, s) <= (written.length >= 8 ? 2 : 1));
  if (close.length > 0) return `'${written}' is not supported; did you mean '${close[0]}'?`;
  return (
    `'${written}' is not a Keras layer Paperweight reads (a layer of your own or another library's cannot be ` +
    `read without running its code); write the network with these layers: ${supported.join(', ')}`
  );
}
