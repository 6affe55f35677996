// The dataset slice: what is loaded (MNIST by default), loading progress, why a drop was refused, and how
// the images are fitted to the model's input (pad or resize; channel conversion).
import { create } from 'zustand';
import type { Dataset } from '../data/types';
import type { InputAdapt } from '../train/types';

export interface LoadingState {
  fraction: number;
  message: string;
}

interface DatasetState {
  dataset: Dataset | null;
  /** Changes with every new dataset, so the worker knows when to take a new copy. */
  id: string;
  loading: LoadingState | null;
  error: string | null;
  inputAdapt: InputAdapt;
  setDataset(d: Dataset): void;
  setLoading(l: LoadingState | null): void;
  setError(message: string | null): void;
  setInputAdapt(a: InputAdapt): void;
}

let counter = 0;

export const useDataset = create<DatasetState>((set) => ({
  dataset: null,
  id: '',
  loading: null,
  error: null,
  inputAdapt: 'pad',
  setDataset: (dataset) => set({ dataset, id: `${dataset.name}#${++counter}`, error: null, loading: null }),
  setLoading: (loading) => set({ loading }),
  // A refusal keeps the previous dataset: only the message changes.
  setError: (error) => set({ error, loading: null }),
  setInputAdapt: (inputAdapt) => set({ inputAdapt }),
}));
