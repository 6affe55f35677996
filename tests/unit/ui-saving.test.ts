import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debouncedSave, useSaving } from '../../src/store/saving';

describe('debounced saves are counted until they settle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useSaving.setState({ pending: 0, run: null });
  });
  afterEach(() => vi.useRealTimers());

  it('counts a burst of calls as one save, pending from the first call until the write resolves', async () => {
    let writes = 0;
    let finish = () => {};
    const save = debouncedSave(
      () =>
        new Promise<void>((resolve) => {
          writes++;
          finish = resolve;
        }),
      300,
    );
    save();
    save();
    expect(useSaving.getState().pending).toBe(1);
    await vi.advanceTimersByTimeAsync(299);
    save(); // restarts the quiet period
    await vi.advanceTimersByTimeAsync(299);
    expect(writes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toBe(1);
    expect(useSaving.getState().pending).toBe(1); // written, not yet settled
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(useSaving.getState().pending).toBe(0);
  });

  it('a failed write reaches onError and still comes off the count', async () => {
    const errors: unknown[] = [];
    const save = debouncedSave(
      () => Promise.reject(new Error('quota')),
      100,
      (e) => errors.push(e),
    );
    const other = debouncedSave(() => new Promise<void>(() => {}), 100); // never settles
    save();
    other();
    expect(useSaving.getState().pending).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(errors.map((e) => (e as Error).message)).toEqual(['quota']);
    expect(useSaving.getState().pending).toBe(1);
  });

  it('a steady stream of calls still saves within maxWait instead of waiting for quiet', async () => {
    let writes = 0;
    const save = debouncedSave(
      async () => {
        writes++;
      },
      300,
      () => {},
      1200,
    );
    for (let t = 0; t < 1400; t += 200) {
      save();
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(writes).toBe(1); // a plain debounce would still be waiting
  });
});
