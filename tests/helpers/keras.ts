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

/** The refusal of this Python source: placed at [line, column], its message holding every one of `parts`. */
export function expectCodeRefusedAt(
  source: string,
  at: [number, number],
  ...parts: string[]
): KerasImportError {
  const e = codeRefusal(source);
  expect([e.line, e.column]).toEqual(at);
  for (const part of parts) expect(e.message).toContain(part);
  return e;
}
