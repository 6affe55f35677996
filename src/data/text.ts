// Text from inside a file (names, header fields, dict keys) as it may appear in a message: a fuzzed or hostile
// file can hold megabytes of binary there, and a message must stay short and printable.

/** At most `max` characters of `s`, control characters and broken UTF-8 escaped, quoted when asked. */
export function excerpt(s: string, max = 40): string {
  let out = '';
  for (const ch of s) {
    // Counted as shown: an escaped byte takes 4 of the `max` characters.
    if (out.length >= max) return `${out}...`;
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0xfffd || (c >= 0xd800 && c < 0xe000))
      out += c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** Names (files, keys, folders) listed in a message: at most `count`, each a short excerpt. */
export function nameList(names: string[], count = 5, max = 60): string {
  const shown = names.slice(0, count).map((n) => excerpt(n, max));
  return `${shown.join(', ')}${names.length > count ? ` and ${names.length - count} more` : ''}`;
}

/** Bytes for a message: the first `max` shown as text where printable, else as \xNN. */
export function byteExcerpt(b: Uint8Array, max = 16): string {
  let out = '';
  for (let i = 0; i < Math.min(b.length, max); i++) {
    const c = b[i];
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return b.length > max ? `${out}...` : out;
}

/** 1234567 -> '1.2 MiB' (binary units, as file managers show them). */
export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}
