// One drawn block of a diagram as the page uses it: a focusable group (test id `diagram-layer`, text = its
// label) that takes part in the linked hover and reveals its code line on click or Enter. Every drawing (the
// paper-style chain, the graph, AlexNet's two streams) draws its blocks inside one.
import type { ReactNode } from 'react';

export interface LayerLink {
  active: boolean;
  error: boolean;
  /** Hover or focus enters (the layer's name) or leaves (null). */
  onActive(layer: string | null): void;
  onReveal(layer: string): void;
}

export function LayerGroup({
  layer,
  label,
  link,
  stream,
  children,
}: {
  /** The layer the block shows (null for the input). */
  layer: string | null;
  label: string;
  link: LayerLink;
  /** In a two-stream figure: which stream (1 upper, 2 lower) the block is. */
  stream?: 1 | 2;
  children: ReactNode;
}) {
  const enter = () => link.onActive(layer);
  const leave = () => link.onActive(null);
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it acts as one
    <g
      data-testid="diagram-layer"
      data-layer={layer ?? undefined}
      data-stream={stream}
      data-active={link.active ? 'true' : undefined}
      data-error={link.error ? 'true' : undefined}
      aria-label={label}
      role="button"
      tabIndex={layer ? 0 : undefined}
      onMouseEnter={enter}
      onMouseLeave={leave}
      onFocus={enter}
      onBlur={leave}
      onClick={() => layer && link.onReveal(layer)}
      onKeyDown={(e) => {
        if (layer && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          link.onReveal(layer);
        }
      }}
    >
      {children}
    </g>
  );
}
