import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, isActivation, parseActivation } from '../../src/model/activations';
import { INITIALIZERS, isInitializer } from '../../src/model/initializers';
import { memberOf } from '../../src/model/member-of';

describe('memberOf: the guard of a fixed name list', () => {
  it('accepts exactly the names of the list, case and spelling as written', () => {
    const isPool = memberOf(['max', 'average'] as const);
    expect(['max', 'average', 'Max', 'avg', '', 'max '].map(isPool)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('activations and initializers: every listed name passes, a near miss does not', () => {
    expect(ACTIVATIONS.every(isActivation)).toBe(true);
    expect(INITIALIZERS.every(isInitializer)).toBe(true);
    expect(isActivation('Relu')).toBe(false);
    expect(isInitializer('glorot')).toBe(false);
    expect(isInitializer('relu')).toBe(false);
    expect(() => parseActivation('relu7', 'dense')).toThrow(/relu7/);
  });
});
