// Hints for layers Paperweight does not read: by meaning for Keras layers people write, a supported layer only
// for a near-miss spelling, and the supported list otherwise (never a misleading nearest string).
import { describe, expect, it } from 'vitest';
import { unsupportedLayerMessage } from '../../src/keras/layer-hints';

const SUPPORTED = [
  'Conv2D',
  'MaxPooling2D',
  'Dense',
  'Flatten',
  'Dropout',
  'GlobalAveragePooling2D',
  'ZeroPadding2D',
];

describe('unsupportedLayerMessage', () => {
  it('names what the Keras layer does and what to write instead', () => {
    expect(unsupportedLayerMessage('Embedding', SUPPORTED)).toBe(
      "'Embedding' is not supported: in Keras it works on sequences (text, time series); Paperweight trains " +
        'image networks (Conv2D, pooling and Dense layers on (height, width, channels) inputs), so this model ' +
        'needs Keras itself',
    );
    expect(unsupportedLayerMessage('GlobalMaxPooling2D', SUPPORTED)).toBe(
      "'GlobalMaxPooling2D' is not supported: in Keras it takes the maximum of each feature map; use " +
        'GlobalAveragePooling2D() (the mean instead) or Flatten()',
    );
    expect(unsupportedLayerMessage('Lambda', SUPPORTED)).toMatch(
      /^'Lambda' is not supported: in Keras it runs a Python function, which Paperweight never does; write the computation with built-in layers/,
    );
    expect(unsupportedLayerMessage('Conv3D', SUPPORTED)).toMatch(
      /1-D signals or 3-D volumes; Paperweight has the 2-D layers/,
    );
    expect(unsupportedLayerMessage('RandomFlip', SUPPORTED)).toMatch(/changes training images at random/);
    expect(unsupportedLayerMessage('LSTM', SUPPORTED)).toMatch(/works on sequences/);
  });

  it("Keras 1 layers that Keras 2 removed say so, with today's way", () => {
    expect(unsupportedLayerMessage('Merge', SUPPORTED)).toBe(
      "'Merge' is not supported: it is Keras 1's merge of Sequential models, removed in Keras 2; use the " +
        'functional API: x = layers.concatenate([a, b]) (or layers.add([a, b]))',
    );
    expect(unsupportedLayerMessage('Deconvolution2D', [...SUPPORTED, 'Conv2DTranspose'])).toMatch(
      /; write Conv2DTranspose\(filters, kernel_size, strides=\.\.\.\)$/,
    );
  });

  it('only suggests alternatives Paperweight has', () => {
    expect(unsupportedLayerMessage('GlobalMaxPooling2D', ['Flatten'])).toMatch(/; use Flatten\(\)$/);
    expect(unsupportedLayerMessage('Lambda', [...SUPPORTED, 'Rescaling'])).toContain(
      'Rescaling(1./255) for x / 255',
    );
    expect(unsupportedLayerMessage('Lambda', SUPPORTED)).not.toContain('Rescaling');
  });

  it('a near-miss spelling gets the supported layer; anything else gets the list', () => {
    expect(unsupportedLayerMessage('Conv2d', SUPPORTED)).toBe(
      "'Conv2d' is not supported; did you mean 'Conv2D'?",
    );
    expect(unsupportedLayerMessage('MaxPoling2D', SUPPORTED)).toBe(
      "'MaxPoling2D' is not supported; did you mean 'MaxPooling2D'?",
    );
    // 'ResBlock' is 4+ edits from everything: no guess.
    expect(unsupportedLayerMessage('ResBlock', SUPPORTED)).toBe(
      "'ResBlock' is not a Keras layer Paperweight reads (a layer of your own or another library's cannot be read " +
        `without running its code); write the network with these layers: ${SUPPORTED.join(', ')}`,
    );
  });
});
