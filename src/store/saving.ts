// Whether what the person did is saved in this browser yet (IndexedDB): the header says "Saving…" while a
// debounced save is waiting or being written and "Saved" after, so a reload is known to be safe. End-to-end
// tests wait on the same state instead of sleeping past the debounce.
import { create } from 'zustand';

/** What the last saved training run holds: its epochs and the epoch of its checkpoint (0: none). */
export interface SavedRunInfo {
  epochs: number;
  checkpointEpoch: number;
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
 * `save` after `ms` of quiet, counted in `useSaving` from the first call until the write settles. Errors go to
 * `onError`; the count comes down either way.
 */
export function debouncedSave(
  save: () => Promise<unknown>,
  ms: number,
  onError: (e: unknown) => void = () => {},
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    else useSaving.getState().begin();
    timer = setTimeout(() => {
      timer = null;
      save()
        .catch(onError)
        .finally(() => useSaving.getState().end());
    }, ms);
  };
}
