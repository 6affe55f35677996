// The top bar: name, WebGPU status (adapter, or why there is none and how to enable it), errors, notices.
import type { ReactNode } from 'react';
import { useSaving } from '../../store/saving';
import { useUi } from '../../store/ui';

export function Header() {
  const webgpu = useUi((s) => s.webgpu);
  return (
    <header className="app-header">
      <h1>Paperweight</h1>
      <span className="tagline">a paper's network, trained live in your browser</span>
      <span className="spacer" />
      <SaveState />
      {webgpu.state !== 'unavailable' && (
        <span
          className={`gpu-status ${webgpu.state}`}
          data-testid="webgpu-status"
          title={webgpu.state === 'ready' ? webgpu.adapterName : ''}
        >
          {webgpu.state === 'ready' ? `WebGPU · ${webgpu.adapterName}` : 'WebGPU: checking…'}
        </span>
      )}
      {webgpu.state === 'unavailable' && <span className="gpu-status unavailable">WebGPU unavailable</span>}
    </header>
  );
}

/** Whether the code, settings and run are saved in this browser yet (a reload is safe once they are). */
function SaveState() {
  const pending = useSaving((s) => s.pending);
  const run = useSaving((s) => s.run);
  return (
    <span
      className="save-state"
      data-testid="save-state"
      data-state={pending > 0 ? 'saving' : 'saved'}
      data-epochs={run?.epochs ?? 0}
      data-checkpoint-epoch={run?.checkpointEpoch ?? 0}
      data-finished={String(run?.finished ?? false)}
      title="Code, settings and the last training run are kept in this browser (IndexedDB)"
    >
      {pending > 0 ? 'Saving…' : 'Saved'}
    </span>
  );
}

export function Banners() {
  const webgpu = useUi((s) => s.webgpu);
  const appError = useUi((s) => s.appError);
  const notice = useUi((s) => s.notice);
  const ui = useUi.getState();
  return (
    <>
      {webgpu.state === 'unavailable' && (
        <div className="gpu-explain" data-testid="webgpu-status" role="status">
          <strong>WebGPU is unavailable, so training is off.</strong> {webgpu.message} You can still write
          code, see the summary and the diagram, and load data.
        </div>
      )}
      {appError && (
        <Banner kind="error" onDismiss={() => ui.setAppError(null)}>
          <span data-testid="app-error">{appError}</span>
        </Banner>
      )}
      {notice && (
        <Banner kind="notice" onDismiss={() => ui.setNotice(null)}>
          <span>{notice}</span>
        </Banner>
      )}
    </>
  );
}

/** A message across the page that the person can dismiss. */
function Banner({
  kind,
  onDismiss,
  children,
}: {
  kind: 'error' | 'notice';
  onDismiss(): void;
  children: ReactNode;
}) {
  return (
    <div className={`banner ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
      <button type="button" className="btn small" onClick={onDismiss} aria-label={`Dismiss the ${kind}`}>
        Dismiss
      </button>
    </div>
  );
}
