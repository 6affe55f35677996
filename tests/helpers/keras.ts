// Shared by the Keras import tests: the refusal every bad-code or bad-JSON test expects.
import { expect } from 'vitest';
import { importKerasCode, KerasImportError } from '../../src/keras';

/** The KerasImportError `run` throws; fails the test if it returns or throws anything else. */
export function importRefusal(run: () => unknown): KerasImportError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(KerasImportError);
    return e as KerasImportError;
  }
  throw new Error('expected the import to be refused');
}

/** The KerasImportError importing this Python source throws. */
export const codeRefusal = (source: string): KerasImportError => importRefusal(() => importKerasCode(source));
