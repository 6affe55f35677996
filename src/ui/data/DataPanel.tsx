// The data panel: the loaded dataset, a grid of samples, the class histogram, the drop zone and pickers,
// and what to do when the images and the model's input differ.
import { useRef } from 'react';
import { useDataset } from '../../store/dataset';
import { useModel } from '../../store/model';
import type { InputAdapt } from '../../train/types';
import { ClassHistogram } from './ClassHistogram';
import { convertChannels } from './channels';
import { loadFileList } from './load';
import { SampleGrid } from './SampleGrid';

/** How images of another size are fitted to the model's input. */
const ADAPT_CHOICES: [InputAdapt, string][] = [
  ['pad', 'pad with zeros (centred)'],
  ['resize', 'resize (bilinear)'],
];

function Mismatch() {
  const dataset = useDataset((s) => s.dataset);
  const built = useModel((s) => s.built);
  const adapt = useDataset((s) => s.inputAdapt);
  if (!dataset || !built || built.inputShape.length !== 3) return null;
  const [h, w, c] = built.inputShape;
  const sizeDiffers = dataset.height !== h || dataset.width !== w;
  const channelsDiffer = dataset.channels !== c;
  if (!sizeDiffers && !channelsDiffer) return null;
  const set = useDataset.getState();
  return (
    <div className="mismatch" role="status">
      The images are {dataset.height}x{dataset.width}x{dataset.channels}; the model takes {h}x{w}x{c}.
      {sizeDiffers && (
        <div className="opts" role="radiogroup" aria-label="How to fit the image size">
          {ADAPT_CHOICES.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="adapt"
                checked={adapt === value}
                onChange={() => set.setInputAdapt(value)}
              />{' '}
              {label}
            </label>
          ))}
        </div>
      )}
      {channelsDiffer && (c === 1 || c === 3) && (
        <div className="opts">
          <button
            type="button"
            className="btn small"
            onClick={() => set.setDataset(convertChannels(dataset, c as 1 | 3))}
          >
            {c === 1 ? 'Convert the images to grayscale' : 'Copy the gray channel to RGB'}
          </button>
        </div>
      )}
    </div>
  );
}

export function DataPanel() {
  const dataset = useDataset((s) => s.dataset);
  const loading = useDataset((s) => s.loading);
  const error = useDataset((s) => s.error);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  return (
    <section className="card" aria-labelledby="data-title">
      <div className="card-head">
        <h2 id="data-title">Data</h2>
      </div>
      <div className="dropzone" data-testid="dataset-drop">
        <div>Drop a dataset anywhere on the page</div>
        <div className="small muted">
          MNIST/Fashion-MNIST IDX, CIFAR-10/100, Keras .npz, or a folder (or .zip) with one subfolder per
          class
        </div>
        <div className="pickers">
          <button type="button" className="btn small" onClick={() => fileInput.current?.click()}>
            Choose files…
          </button>
          <button type="button" className="btn small" onClick={() => folderInput.current?.click()}>
            Choose a folder…
          </button>
          <button
            type="button"
            className="btn small"
            disabled={dataset?.source === 'built-in'}
            onClick={() => void import('./load').then((m) => m.loadBuiltInMnist())}
          >
            Back to MNIST
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          className="visually-hidden"
          data-testid="dataset-file-input"
          aria-label="Choose dataset files"
          tabIndex={-1}
          onChange={(e) => {
            if (e.target.files?.length) void loadFileList(Array.from(e.target.files));
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          className="visually-hidden"
          data-testid="dataset-folder-input"
          aria-label="Choose a folder of images"
          tabIndex={-1}
          webkitdirectory=""
          onChange={(e) => {
            if (e.target.files?.length) void loadFileList(Array.from(e.target.files));
            e.target.value = '';
          }}
        />
      </div>
      {loading && (
        <div aria-live="polite">
          <div
            className="progress"
            role="progressbar"
            aria-label="Loading the dataset"
            aria-valuenow={Math.round(loading.fraction * 100)}
          >
            <div style={{ width: `${loading.fraction * 100}%` }} />
          </div>
          <div className="progress-text">{loading.message}</div>
        </div>
      )}
      {error && (
        <div className="dataset-error" data-testid="dataset-error" role="alert">
          {error}
          {dataset && <div className="small">Still using {dataset.name}.</div>}
        </div>
      )}
      {dataset && (
        <div className="dataset-summary" data-testid="dataset-summary">
          <dl>
            <dt>Dataset</dt>
            <dd>
              <strong>{dataset.name}</strong> <span className="muted">({dataset.source})</span>
            </dd>
            <dt>Samples</dt>
            <dd>
              {dataset.train.count.toLocaleString('en-US')} train
              {dataset.test ? ` · ${dataset.test.count.toLocaleString('en-US')} test` : ' · no test set'}
            </dd>
            <dt>Input shape</dt>
            <dd>
              {dataset.height}x{dataset.width}x{dataset.channels}
            </dd>
            <dt>Classes</dt>
            <dd>
              {dataset.classNames.length}: {dataset.classNames.slice(0, 12).join(', ')}
              {dataset.classNames.length > 12 ? ', …' : ''}
            </dd>
            {dataset.notes.length > 0 && (
              <>
                <dt>Notes</dt>
                <dd className="muted">{dataset.notes.join('; ')}</dd>
              </>
            )}
          </dl>
        </div>
      )}
      <Mismatch />
      {dataset && (
        <>
          <div className="section-sub">Samples (click one to watch its feature maps)</div>
          <SampleGrid />
          <div className="section-sub">Classes</div>
          <ClassHistogram />
        </>
      )}
    </section>
  );
}
