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
  /** The layer hovered or focused in the diagram, the editor or the summary (linked hover), by name. */
  activeLayer: string | null;
  setActiveLayer(name: string | null): void;
  /** A request to show a layer's code line in the editor (a click on its block); `n` makes each new. */
  reveal: { layer: string; n: number } | null;
  revealLayer(name: string): void;
}

export const useUi = create<UiState>((set) => ({
  webgpu: { state: 'checking' },
  appError: null,
  notice: null,
  setWebGpu: (webgpu) => set({ webgpu }),
  setAppError: (appError) => set({ appError }),
  setNotice: (notice) => set({ notice }),
  activeLayer: null,
  setActiveLayer: (activeLayer) => set((s) => (s.activeLayer === activeLayer ? s : { activeLayer })),
  reveal: null,
  revealLayer: (layer) => set((s) => ({ reveal: { layer, n: (s.reveal?.n ?? 0) + 1 } })),
}));
