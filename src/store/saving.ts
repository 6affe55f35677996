// Whether what the person did is saved in this browser yet (IndexedDB): the header says "Saving…" while a
// debounced save is waiting or being written and "Saved" after, so a reload is known to be safe. End-to-end
// tests wait on the same state instead of sleeping past the debounce.
import { create } from 'zustand';

/** What the last saved training run holds: its epochs and the epoch of its checkpoint (0: none). */
export interface SavedRunInfo {
  epochs: number;
  checkpointEpoch: number;
  /** The run had finished (or was stopped) when it was saved. */
  finished: boolean;
}

interface SavingState {
  /** Saves scheduled or in flight. */
  pending: number;
  run: SavedRunInfo | null;
  begin(): void;
  end(): void;
  setRun(run: SavedRunInfo | null): void;
}

export const useSaving = create<SavingState>((set) => ({
  pending: 0,
  run: null,
  begin: () => set((s) => ({ pending: s.pending + 1 })),
  end: () => set((s) => ({ pending: Math.max(0, s.pending - 1) })),
  setRun: (run) => set({ run }),
}));

/**
 * `save` after `ms` of quiet, but no later than `maxWait` after the first call of a burst (training reports an
 * epoch and a checkpoint more often than every `ms`: a plain debounce would not save until the run stopped).
 * Counted in `useSaving` from the first call until the write settles. Errors go to `onError`; the count comes
 * down either way.
 */
export function debouncedSave(
  save: () => Promise<unknown>,
  ms: number,
  onError: (e: unknown) => void = () => {},
  maxWait = 4 * ms,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let since = 0;
  return () => {
    const now = Date.now();
    if (timer) {
      if (now - since >= maxWait) return; // the scheduled save runs soon and reads the latest state
      clearTimeout(timer);
    } else {
      useSaving.getState().begin();
      since = now;
    }
    timer = setTimeout(() => {
      timer = null;
      save()
        .catch(onError)
        .finally(() => useSaving.getState().end());
    }, ms);
  };
}
