// The Keras layer class names Paperweight reads, with the aliases Keras accepts for them, mapped to the
// canonical name. Shared by the code importer and the JSON importer.
export const LAYER_ALIASES: Record<string, string> = {
  Conv2D: 'Conv2D',
  Convolution2D: 'Conv2D',
  MaxPooling2D: 'MaxPooling2D',
  MaxPool2D: 'MaxPooling2D',
  AveragePooling2D: 'AveragePooling2D',
  AvgPool2D: 'AveragePooling2D',
  Dense: 'Dense',
  Dropout: 'Dropout',
  Flatten: 'Flatten',
  Activation: 'Activation',
  ZeroPadding2D: 'ZeroPadding2D',
  GlobalAveragePooling2D: 'GlobalAveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  ReLU: 'ReLU',
  Softmax: 'Softmax',
  LeakyReLU: 'LeakyReLU',
  ELU: 'ELU',
};
