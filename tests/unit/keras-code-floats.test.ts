// Floats written with a trailing dot (`1.`, `1./255`, `1.e-3`), which Python reads and the @lezer/python
// grammar does not: the importer completes them and keeps every later line and column where it was.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { completeTrailingDotFloats } from '../../src/keras/syntax';
import { codeRefusal } from '../helpers/keras';

describe('completeTrailingDotFloats', () => {
  it('writes a 0 after a dot that ends a number, and nowhere else', () => {
    expect(completeTrailingDotFloats('x = 1./255').text).toBe('x = 1.0/255');
    expect(completeTrailingDotFloats('w = [1., 2.]').text).toBe('w = [1.0, 2.0]');
    expect(completeTrailingDotFloats('lr = 1.e-3').text).toBe('lr = 1.0e-3');
    expect(completeTrailingDotFloats('z = 3.j').text).toBe('z = 3.0j');
    // Already complete numbers, names with digits, hex, strings and comments are left alone.
    const same =
      'a = 1.5 + .5 + v1.real + 0x1F + 1_000.25\nb = \'v1. x\'  # about 2. things\nc = """3.\n4."""';
    expect(completeTrailingDotFloats(same).text).toBe(same);
  });

  it('maps columns after a completed float back to the source, line by line', () => {
    const p = completeTrailingDotFloats('a = [1., 2.]; b\nc = 3.');
    // Patched line 1 is `a = [1.0, 2.0]; b`: 'b' is at column 17 there and column 15 in the source.
    expect(p.text).toBe('a = [1.0, 2.0]; b\nc = 3.0');
    expect(p.column(1, 17)).toBe(15);
    expect(p.column(1, 6)).toBe(6); // '1' comes before any patch
    expect(p.column(1, 11)).toBe(10); // '2' comes after the first patch only
    expect(p.column(2, 5)).toBe(5); // another line: its own patches only
  });
});

describe('Keras code import: trailing-dot floats', () => {
  it('reads them as the floats Python reads', () => {
    const r = importKerasCode(
      [
        'datagen = ImageDataGenerator(rescale=1./255)',
        'x_train = x_train / 255.',
        'model = Sequential()',
        'model.add(Dense(8, input_shape=(4,)))',
        'model.add(Dropout(1./4))',
        'model.add(Dense(2))',
        'model.compile(optimizer=Adam(learning_rate=1.e-3), loss="categorical_crossentropy")',
      ].join('\n'),
    );
    expect(r.model.layers[1].config).toMatchObject({ rate: 0.25 });
    expect(r.training.optimizer?.learning_rate).toBe(0.001);
    // (4*8+8) + (8*2+2) = 40 + 18 = 58
    expect(r.built.paramCount).toBe(58);
  });

  it('keeps the columns of later errors on the same line and the lines after', () => {
    // `x = [1., 2.]; model.add(` is 24 characters: Conv3D starts at column 25 of what was pasted.
    let e = codeRefusal('x = [1., 2.]; model.add(Conv3D(1, 1))');
    expect([e.line, e.column]).toEqual([1, 25]);
    e = codeRefusal('scale = 1./255\nmodel.add(Dense(3, input_shape=(4,)))\nmodel.add(Dropout(2.))');
    // Dropout's rate is at column 19 of line 3 (`model.add(Dropout(` is 18 characters).
    expect([e.line, e.column]).toEqual([3, 19]);
    expect(e.message).toBe('line 3, column 19: Dropout: rate must be in [0, 1), got 2');
  });

  it('keeps columns in indented pasted code too', () => {
    const e = codeRefusal('    s = 1./255; model.add(Conv3D(1, 1))');
    // 4 spaces + `s = 1./255; model.add(` (22 characters) = 26: Conv3D at column 27.
    expect([e.line, e.column]).toEqual([1, 27]);
  });

  it('a syntax error after a float is placed in the pasted text', () => {
    const e = codeRefusal('a = 1. + 2.; b = (3 4)');
    // `a = 1. + 2.; b = (3 ` is 20 characters: the stray 4 is at column 21.
    expect([e.line, e.column]).toEqual([1, 21]);
  });
});
