// Calls that would run something are refused at their place, including under names bound by imports
// (import os as o; from subprocess import run as go), so nobody believes pasted code was run.
import { describe, expect, it } from 'vitest';
import { importKerasCode } from '../../src/keras';
import { codeRefusal } from '../helpers/keras';

const MODEL = 'model = Sequential([Dense(2, input_shape=(3,))])\n';
const WHY = 'is refused: Paperweight reads Keras code to build the model and never runs it; remove this call';

describe('Keras code import: calls that would run something', () => {
  it('eval and os.system as written', () => {
    expect(codeRefusal(`${MODEL}eval("1")`).message).toBe(`line 2, column 1: eval(...) ${WHY}`);
    expect(codeRefusal(`${MODEL}os.system("ls")`).message).toBe(`line 2, column 1: os.system(...) ${WHY}`);
  });

  it('under the names imports give them', () => {
    expect(codeRefusal(`import os as o\n${MODEL}o.system("ls")`).message).toBe(
      `line 3, column 1: o.system(...) ${WHY}`,
    );
    expect(codeRefusal(`from subprocess import run as go, call\n${MODEL}x = 1; go(["ls"])`).message).toBe(
      `line 3, column 8: go(...) ${WHY}`,
    );
    expect(codeRefusal(`from subprocess import run as go, call\n${MODEL}call("ls")`).message).toBe(
      `line 3, column 1: call(...) ${WHY}`,
    );
  });

  it('leaves imports of Keras and NumPy alone', () => {
    const r = importKerasCode(
      `import numpy as np\nfrom keras.layers import Dense as D\n${MODEL}x = np.zeros(3)`,
    );
    expect(r.built.paramCount).toBe(3 * 2 + 2);
  });
});
