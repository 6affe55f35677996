// The diagram as a standalone SVG file and as a PNG (people put it in slides), at its natural size
// (the viewBox), whatever size the page shows it at.
function naturalSize(svg: SVGSVGElement): [number, number] {
  const vb = (svg.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
  if (vb.length === 4 && vb.every(Number.isFinite)) return [vb[2], vb[3]];
  return [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))];
}

export function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const [w, h] = naturalSize(svg);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  clone.removeAttribute('data-testid');
  // The page's interaction state (linked hover, focus, error marks) is not part of the drawing.
  for (const el of clone.querySelectorAll('*')) {
    for (const a of ['data-testid', 'data-layer', 'data-active', 'data-error', 'tabindex', 'role'])
      el.removeAttribute(a);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

export async function svgToPngBlob(svg: SVGSVGElement, scale: number): Promise<Blob> {
  const [w, h] = naturalSize(svg);
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
