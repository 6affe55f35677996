// Loading datasets into the page: MNIST on start, dropped or picked files later. A refusal leaves the
// previous dataset loaded and shows why.
import { fromDataTransferItems, fromFileList, loadDataset, loadMnist } from '../../data';
import type { InputFile } from '../../data/types';
import { useDataset } from '../../store/dataset';
import { useModel } from '../../store/model';
import { importModelFile, isModelFileName } from '../model/import-model-file';

/** Progress at most ~8 times a second: a callback per image of a 10,000-image folder would freeze React. */
function throttledProgress(): (fraction: number, message: string) => void {
  let last = 0;
  return (fraction, message) => {
    const now = performance.now();
    if (now - last < 120 && fraction < 1) return;
    last = now;
    useDataset.getState().setLoading({ fraction, message });
  };
}

export async function loadBuiltInMnist(): Promise<void> {
  const st = useDataset.getState();
  st.setLoading({ fraction: 0, message: 'loading MNIST' });
  try {
    const t0 = performance.now();
    const d = await loadMnist('/data/mnist', undefined, throttledProgress());
    d.notes = [...d.notes, `loaded in ${Math.round(performance.now() - t0)} ms`];
    useDataset.getState().setDataset(d);
  } catch (e) {
    useDataset.getState().setError(e instanceof Error ? e.message : String(e));
  }
}

export async function loadFiles(files: InputFile[]): Promise<void> {
  // A Keras model file (.keras/.h5) is a model with its weights, not a dataset.
  if (files.length === 1 && isModelFileName(files[0].path)) {
    return importModelFile(files[0].path.split('/').pop()!, () => files[0].bytes());
  }
  const built = useModel.getState().built;
  const st = useDataset.getState();
  st.setError(null);
  st.setLoading({ fraction: 0, message: `reading ${files.length} file${files.length === 1 ? '' : 's'}` });
  try {
    const input = built?.inputShape;
    const d = await loadDataset(files, {
      targetSize: input && input.length === 3 ? [input[0], input[1]] : undefined,
      onProgress: throttledProgress(),
    });
    useDataset.getState().setDataset(d);
  } catch (e) {
    useDataset.getState().setError(e instanceof Error ? e.message : String(e));
  }
}

export const loadFileList = (list: FileList | File[]) => loadFiles(fromFileList(list));

export async function loadDataTransfer(dt: DataTransfer): Promise<void> {
  try {
    const files =
      dt.items && dt.items.length > 0 ? await fromDataTransferItems(dt.items) : fromFileList(dt.files);
    await loadFiles(files);
  } catch (e) {
    useDataset.getState().setError(e instanceof Error ? e.message : String(e));
  }
}
