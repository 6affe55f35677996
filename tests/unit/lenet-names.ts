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

/** The weight arrays of the paper LeNet-5 in Keras order: the two Conv2D and the two Dense, kernel then bias. */
export const LENET_WEIGHT_NAMES: readonly string[] = [
  'conv2d/kernel',
  'conv2d/bias',
  'conv2d_1/kernel',
  'conv2d_1/bias',
  'dense/kernel',
  'dense/bias',
  'dense_1/kernel',
  'dense_1/bias',
];
