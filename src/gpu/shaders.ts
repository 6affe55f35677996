// WGSL sources, one file per op family under shaders/. Vite (page, worker, vitest) inlines them as strings.
const sources = import.meta.glob('../../shaders/*.wgsl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export function shaderSource(stem: string): string {
  const src = sources[`../../shaders/${stem}.wgsl`];
  if (src === undefined) throw new Error(`no shader shaders/${stem}.wgsl`);
  return src;
}
