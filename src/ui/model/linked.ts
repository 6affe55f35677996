// The linked hover's shared pieces: each layer's code line (from the editor's code) and the layer an error's
// line names, recomputed only when the code or the model changes.
import { useMemo } from 'react';
import { useModel } from '../../store/model';
import { layerAtLine, layerLines } from './layer-lines';

export function useLayerLines(): Map<string, number> {
  const code = useModel((s) => s.code);
  const built = useModel((s) => s.built);
  return useMemo(() => (built ? layerLines(code, built) : new Map<string, number>()), [code, built]);
}

/** The layer on the line of the current code error, if the error has a line and a layer is there. */
export function useErrorLayer(): string | null {
  const lines = useLayerLines();
  const line = useModel((s) => s.error?.line ?? null);
  return line === null ? null : layerAtLine(lines, line);
}
