// The model code in the URL (#code=...): deflated UTF-8 in base64url, so a link opens the same network.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';

export function encodeCode(code: string): string {
  const bytes = deflateSync(strToU8(code), { level: 9 });
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCode(text: string): string | null {
  try {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return strFromU8(inflateSync(bytes));
  } catch {
    return null;
  }
}

/** The code in a location hash, or null when there is none or it is unreadable. */
export function codeFromHash(hash: string): string | null {
  const m = /(?:^#|&)code=([A-Za-z0-9_-]+)/.exec(hash);
  return m ? decodeCode(m[1]) : null;
}

export function hashForCode(code: string): string {
  return `#code=${encodeCode(code)}`;
}
