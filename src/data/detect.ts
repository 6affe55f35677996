// What kind of file each dropped file is: by name first (cheap for thousands of images), then by its first
// bytes (gunzipped when needed) for anything the name does not settle.
import { type CifarRole, cifarRole } from './cifar-files';
import { isIdxName } from './idx-dataset';
import { isNpy } from './npy';
import { sniff } from './stream';
import { looksLikeTar } from './tar';
import { baseName, type InputFile } from './types';
import { isZip } from './zip';

export type Kind = 'idx' | 'cifar' | 'tar' | 'npz' | 'npy' | 'zip' | 'image' | 'junk' | 'unknown' | 'pickle';

export interface Classified {
  file: InputFile;
  kind: Kind;
  role?: CifarRole;
}

export const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp)$/i;

/** OS litter that is never data: macOS resource forks and .DS_Store, Windows thumbnails, hidden files. */
export function isJunk(path: string): boolean {
  return (
    /(^|\/)__MACOSX\//.test(path) ||
    /(^|\/)\.[^/]*$/.test(path) ||
    /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(path)
  );
}

function isImageMagic(h: Uint8Array): boolean {
  const ascii = (from: number, to: number) => String.fromCharCode(...h.subarray(from, to));
  return (
    (h[0] === 0x89 && ascii(1, 4) === 'PNG') ||
    (h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff) ||
    ascii(0, 4) === 'GIF8' ||
    (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') ||
    ascii(0, 2) === 'BM'
  );
}

export async function classify(file: InputFile): Promise<Classified> {
  const path = file.path;
  const name = baseName(path);
  if (isJunk(path)) return { file, kind: 'junk' };
  if (IMAGE_EXT.test(name)) return { file, kind: 'image' };
  if (isIdxName(name)) return { file, kind: 'idx' };
  const role = cifarRole(path);
  if (role) return { file, kind: role.kind === 'ignore' ? 'junk' : 'cifar', role };
  if (/\.(tar\.gz|tgz|tar)$/i.test(name)) return { file, kind: 'tar' };
  if (/\.npz$/i.test(name)) return { file, kind: 'npz' };
  if (/\.npy$/i.test(name)) return { file, kind: 'npy' };
  if (/\.zip$/i.test(name)) return { file, kind: 'zip' };
  const { head } = await sniff(file, 512);
  if (looksLikeTar(head)) return { file, kind: 'tar' };
  if (isZip(head)) return { file, kind: 'zip' };
  if (isNpy(head)) return { file, kind: 'npy' };
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) {
    const pickleRole = cifarRole(path, true);
    return pickleRole ? { file, kind: 'cifar', role: pickleRole } : { file, kind: 'pickle' };
  }
  if (isImageMagic(head)) return { file, kind: 'image' };
  // IDX magic (0x0000 0x08 then 1 or 3 dims): paired by name later, which names a badly named file.
  if (head[0] === 0 && head[1] === 0 && head[2] === 8 && (head[3] === 1 || head[3] === 3))
    return { file, kind: 'idx' };
  return { file, kind: 'unknown' };
}
