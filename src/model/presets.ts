// The network of the paper figure (LeNet-5 as the seed article writes it in Keras), as layers.
import { Conv2D, Dense, Dropout, Flatten, MaxPooling2D } from './factories';
import { Sequential } from './sequential';

export function paperLeNet5(): Sequential {
  return new Sequential(
    [
      Conv2D({ filters: 6, kernel_size: [5, 5], padding: 'valid', activation: 'relu' }),
      MaxPooling2D({ pool_size: [2, 2] }),
      Conv2D({ filters: 16, kernel_size: [5, 5], padding: 'valid', activation: 'relu' }),
      MaxPooling2D({ pool_size: [2, 2] }),
      Flatten(),
      Dense({ units: 120, activation: 'relu' }),
      Dropout({ rate: 0.5 }),
      Dense({ units: 10, activation: 'softmax' }),
    ],
    'sequential',
    [32, 32, 1],
  );
}
