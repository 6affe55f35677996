// `if` in model code: the branch whose condition the code settles (flags with defaults, comparisons,
// __name__ == '__main__'); every branch, with a note, when only running the code would tell.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';

const build = (call: string) =>
  [
    'def build(use_dropout=True, width=16, head="softmax"):',
    '    model = Sequential()',
    '    model.add(Dense(width, input_shape=(8,)))',
    '    if use_dropout and width > 8:',
    '        model.add(Dropout(0.5))',
    '    if head == "softmax":',
    '        model.add(Dense(3, activation="softmax"))',
    '    elif not use_dropout:',
    '        model.add(Dense(2))',
    '    else:',
    '        model.add(Dense(1))',
    '    return model',
    call,
  ].join('\n');

const names = (src: string) => importKerasCode(src).built.layers.map((l) => l.layer.className);

describe('Keras code import: if statements', () => {
  it('follows the branch the arguments choose', () => {
    // Defaults: dropout (True and 16 > 8), softmax head: 8*16+16 = 144, 16*3+3 = 51.
    const r = importKerasCode(build('model = build()'));
    expect(r.built.layers.map((l) => [l.layer.className, l.paramCount])).toEqual([
      ['Dense', 144],
      ['Dropout', 0],
      ['Dense', 51],
    ]);
    expect(r.warnings).toEqual([]);
    // No dropout, 'logits' head: the elif (not use_dropout) holds: 16*2+2 = 34.
    expect(
      importKerasCode(build('model = build(use_dropout=False, head="logits")')).built.layers.map((l) => [
        l.layer.className,
        l.paramCount,
      ]),
    ).toEqual([
      ['Dense', 144],
      ['Dense', 34],
    ]);
    // width=4: 4 > 8 is false, no dropout; the else branch: Dense(1), 4*1+1 = 5.
    expect(importKerasCode(build('model = build(width=4, head="sigmoid")')).built.paramCount).toBe(
      8 * 4 + 4 + 5,
    );
  });

  it("if __name__ == '__main__': holds for a pasted script", () => {
    const src =
      'def main():\n    return Sequential([Dense(2, input_shape=(3,))])\n\nif __name__ == "__main__":\n    model = main()';
    expect(names(src)).toEqual(['Dense']);
    expect(
      names(
        `${src.replace('"__main__"', '"lib"')}\nelse:\n    model = Sequential([Flatten(input_shape=(2, 2))])`,
      ),
    ).toEqual(['Flatten']);
  });

  it('reads every branch with a note when only running the code would tell', () => {
    const r = importKerasCode(
      [
        'model = Sequential([Dense(4, input_shape=(2,))])',
        'if args.dropout:',
        '    model.add(Dropout(0.2))',
        'else:',
        '    model.add(Dense(4))',
      ].join('\n'),
    );
    expect(r.built.layers.map((l) => l.layer.className)).toEqual(['Dense', 'Dropout', 'Dense']);
    expect(r.warnings).toEqual([
      "line 2: whether 'args.dropout' holds is only known by running the code; read every branch from here " +
        '(2 layers): keep the branch you mean',
    ]);
  });
});
