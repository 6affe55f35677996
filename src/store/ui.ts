// UI-wide state: the WebGPU adapter (or why there is none), errors and notices shown to the person.
import { create } from 'zustand';

export type WebGpuState =
  | { state: 'checking' }
  | { state: 'ready'; adapterName: string }
  | { state: 'unavailable'; message: string };

interface UiState {
  webgpu: WebGpuState;
  appError: string | null;
  notice: string | null;
  setWebGpu(s: WebGpuState): void;
  setAppError(message: string | null): void;
  setNotice(message: string | null): void;
}

export const useUi = create<UiState>((set) => ({
  webgpu: { state: 'checking' },
  appError: null,
  notice: null,
  setWebGpu: (webgpu) => set({ webgpu }),
  setAppError: (appError) => set({ appError }),
  setNotice: (notice) => set({ notice }),
}));
