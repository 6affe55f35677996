// Connects the worker's messages to the stores: adapter state to the UI slice, predictions to their waiters,
// everything about the run to the training slice's reducer.
import { installTestHooks, listen, send } from '../worker/client';
import { refreshMaps, resolvePrediction } from './predict';
import { useTraining } from './training';
import { useUi } from './ui';

export function initWorker(): void {
  installTestHooks();
  listen({
    message: (m) => {
      const ui = useUi.getState();
      if (m.type === 'ready') {
        ui.setWebGpu({ state: 'ready', adapterName: m.adapterName });
        void refreshMaps();
      } else if (m.type === 'unavailable') ui.setWebGpu({ state: 'unavailable', message: m.message });
      else if (m.type === 'prediction') resolvePrediction(m);
      else useTraining.getState().receive(m);
    },
    crashed: (reason) => useTraining.getState().crashed(reason),
  });
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    useUi.getState().setWebGpu({
      state: 'unavailable',
      message:
        'This browser has no WebGPU (navigator.gpu is missing). To train, use Chrome or Edge 113 or newer; on Linux start Chromium with --enable-unsafe-webgpu --enable-features=Vulkan; ' +
        'in Firefox Nightly or Safari Technology Preview enable WebGPU in the settings.',
    });
    return;
  }
  send({ type: 'init' });
}
