// The run list: every finished (or stopped) training run kept in IndexedDB, its own database so clearing it
// never touches the saved code and weights. Which runs are overlaid is page state.
import { createStore, del, entries, set } from 'idb-keyval';
import { create } from 'zustand';
import { fullMessage, type RunRecord } from './run-record';

const db = () => createStore('paperweight-runs', 'runs');
let store: ReturnType<typeof createStore> | null = null;
const runsDb = () => {
  store ??= db();
  return store;
};

function isRecord(v: unknown): v is RunRecord {
  const r = v as RunRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.code === 'string' &&
    typeof r.settings === 'object' &&
    Array.isArray(r.curves?.step) &&
    Array.isArray(r.epochs)
  );
}

interface RunsState {
  runs: RunRecord[];
  /** Ids of the runs overlaid on the comparison chart. */
  selected: string[];
  message: string | null;
  load(): Promise<void>;
  add(r: RunRecord): Promise<void>;
  remove(id: string): Promise<void>;
  toggle(id: string): void;
}

export const useRuns = create<RunsState>((setState, get) => ({
  runs: [],
  selected: [],
  message: null,
  load: async () => {
    try {
      const all = (await entries(runsDb())).map(([, v]) => v).filter(isRecord);
      all.sort((a, b) => a.createdAt - b.createdAt);
      setState({ runs: all });
    } catch (e) {
      setState({ message: `The kept runs could not be read (${e instanceof Error ? e.message : e}).` });
    }
  },
  add: async (r) => {
    const full = fullMessage(get().runs.length);
    if (full) {
      setState({ message: full });
      return;
    }
    try {
      await set(r.id, r, runsDb());
      setState((s) => ({ runs: [...s.runs, r], message: null }));
    } catch (e) {
      const quota = e instanceof DOMException && e.name === 'QuotaExceededError';
      setState({
        message: quota
          ? 'The browser has no room left to keep this run: delete older runs to keep new ones.'
          : `This run could not be kept (${e instanceof Error ? e.message : e}).`,
      });
    }
  },
  remove: async (id) => {
    await del(id, runsDb()).catch(() => {});
    setState((s) => ({
      runs: s.runs.filter((r) => r.id !== id),
      selected: s.selected.filter((x) => x !== id),
      message: null,
    }));
  },
  toggle: (id) =>
    setState((s) => ({
      selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id],
    })),
}));
