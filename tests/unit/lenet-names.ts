// The Keras auto-names of the LeNet-5 layer stack (Conv2D, MaxPooling2D twice, Flatten, Dense, Dropout, Dense)
// as Keras numbers them per class in a fresh session; the fixtures' h5 model adds a last dense_2.
export const LENET_KERAS_NAMES: readonly string[] = [
  'conv2d',
  'max_pooling2d',
  'conv2d_1',
  'max_pooling2d_1',
  'flatten',
  'dense',
  'dropout',
  'dense_1',
];
