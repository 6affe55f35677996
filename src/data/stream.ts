// Streaming byte access shared by the loaders: files are read chunk by chunk (gunzipped on the fly when they
// start with the gzip magic) so a 160 MB archive never sits in memory as a whole.
import { Gunzip } from 'fflate';
import { excerpt } from './text';
import { baseName, DatasetError, type InputFile } from './types';

const EMPTY = new Uint8Array(0);

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The pieces of a stream as one new array (one piece is returned as it is). */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const NOTHING_YET = Symbol('nothing yet');

/**
 * Gunzips with the platform's DecompressionStream (native zlib), feeding it one input chunk at a time and
 * only when no decompressed bytes are waiting. A plain pipeThrough would be simpler, but Node 20's
 * DecompressionStream ignores backpressure: it reads and inflates the whole input ahead of the reader, which
 * for a 160 MB archive means the whole decompressed archive in memory at once.
 */
function nativeGunzip(input: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const out = ds.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const src = input.getReader();
  let pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  let writing: Promise<typeof NOTHING_YET> | null = null;
  let inputDone = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          pendingRead ??= out.read();
          let got: ReadableStreamReadResult<Uint8Array> | typeof NOTHING_YET;
          if (writing) {
            // The decompressor may hold a write until its output is read: wait for whichever comes first.
            got = await Promise.race([pendingRead, writing]);
            if (got === NOTHING_YET) writing = null;
          } else if (inputDone) {
            got = await pendingRead;
          } else {
            // A read that can be answered from what is already decompressed settles before this resolved
            // promise does; otherwise the decompressor needs more input.
            got = await Promise.race([pendingRead, Promise.resolve(NOTHING_YET)]);
            if (got === NOTHING_YET) {
              const next = await src.read();
              if (next.done) {
                inputDone = true;
                // Errors (a cut-short gzip) surface through the pending read.
                writer.close().catch(() => undefined);
              } else {
                writing = writer.write(next.value as Uint8Array<ArrayBuffer>).then(() => NOTHING_YET);
                // Marked handled: a failed write also fails the pending read, which is what reports it.
                writing.catch(() => undefined);
              }
            }
          }
          if (got === NOTHING_YET) continue;
          pendingRead = null;
          if (got.done) controller.close();
          else controller.enqueue(got.value);
          return;
        }
      },
      async cancel(reason) {
        pendingRead?.catch(() => undefined);
        await Promise.all([
          src.cancel(reason).catch(() => undefined),
          writer.abort(reason).catch(() => undefined),
          out.cancel(reason).catch(() => undefined),
        ]);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Gunzips a stream: natively where DecompressionStream exists, else with fflate (pull-driven either way). */
export function gunzipStream(input: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  if (typeof DecompressionStream !== 'undefined') return nativeGunzip(input);
  const src = input.getReader();
  const ready: Uint8Array[] = [];
  let ended = false;
  const gunzip = new Gunzip((data, final) => {
    if (data.length) ready.push(data);
    if (final) ended = true;
  });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (ready.length === 0) {
          if (ended) {
            controller.close();
            return;
          }
          const next = await src.read();
          if (next.done) {
            gunzip.push(EMPTY, true);
            if (!ended && ready.length === 0) throw new Error('unexpected end of file');
            ended = true;
          } else gunzip.push(next.value, false);
        }
        controller.enqueue(ready.shift()!);
      },
      cancel(reason) {
        return src.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Counts the bytes flowing through (compressed bytes, for progress against the file size). */
function counting(input: ReadableStream<Uint8Array>, onBytes: (total: number) => void) {
  let total = 0;
  return input.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.length;
        onBytes(total);
        controller.enqueue(chunk);
      },
    }),
  );
}

/** Sequential reads over a stream with exact-length helpers; errors become DatasetErrors naming the file. */
export class ByteReader {
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  /** Bytes handed out so far (of the decompressed data). */
  position = 0;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(
    stream: ReadableStream<Uint8Array>,
    readonly file: string,
    readonly gzipped = false,
  ) {
    this.reader = stream.getReader();
  }

  private async fill(): Promise<boolean> {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await this.reader.read();
    } catch (e) {
      // The decompressor's own words ("incorrect header check") mean nothing to a person: say what it means.
      const detail = excerpt(e instanceof Error ? e.message : String(e), 80);
      const reason = this.gzipped
        ? `the gzip data is cut short or corrupt after ${this.position} unpacked bytes; download the file again`
        : `could not be read (${detail}); pick the file again`;
      throw new DatasetError(this.file, reason);
    }
    if (result.done) return false;
    this.buf = result.value;
    this.pos = 0;
    return true;
  }

  /** The next bytes available, at most `max`; a view valid until the next call. null at the end. */
  async chunk(max = Number.POSITIVE_INFINITY): Promise<Uint8Array | null> {
    // A size from a corrupt header (negative, NaN) must never move the reader backwards: nothing to read.
    if (!(max > 0)) return EMPTY;
    while (this.pos >= this.buf.length) if (!(await this.fill())) return null;
    const n = Math.min(max, this.buf.length - this.pos);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.position += n;
    return out;
  }

  /** Fills dst[offset, offset+length); returns how many bytes arrived (fewer only at the end). */
  async readInto(dst: Uint8Array, offset: number, length: number): Promise<number> {
    let got = 0;
    while (got < length) {
      const c = await this.chunk(length - got);
      if (!c || c.length === 0) break;
      dst.set(c, offset + got);
      got += c.length;
    }
    return got;
  }

  /** Up to n bytes in a new array (shorter only at the end). */
  async read(n: number): Promise<Uint8Array> {
    if (!(n > 0)) return EMPTY;
    const out = new Uint8Array(n);
    const got = await this.readInto(out, 0, n);
    return got === n ? out : out.subarray(0, got);
  }

  /** Skips n bytes; returns how many were skipped. */
  async skip(n: number): Promise<number> {
    let done = 0;
    while (done < n) {
      const c = await this.chunk(n - done);
      if (!c || c.length === 0) break;
      done += c.length;
    }
    return done;
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}

/** Yields `first` and then whatever is left in `rest`. */
function prepend(
  first: Uint8Array,
  rest: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  let sent = first.length === 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(first);
        return;
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return rest.cancel(reason);
    },
  });
}

/** Opens a file for reading, gunzipping it when its first bytes are the gzip magic (whatever its name). */
export async function openFile(
  file: InputFile,
  onBytes?: (compressedBytes: number) => void,
): Promise<ByteReader> {
  let raw = file.stream();
  if (onBytes) raw = counting(raw, onBytes);
  const reader = raw.getReader();
  // The first chunk may be tiny; gather 2 bytes to see the gzip magic.
  let head: Uint8Array = EMPTY;
  while (head.length < 2) {
    const { done, value } = await reader.read();
    if (done) break;
    const joined = new Uint8Array(head.length + value.length);
    joined.set(head);
    joined.set(value, head.length);
    head = joined;
  }
  const whole = prepend(head, reader);
  const name = baseName(file.path);
  return isGzip(head) ? new ByteReader(gunzipStream(whole), name, true) : new ByteReader(whole, name);
}

/** The first n (decompressed) bytes of a file, for telling formats apart. */
export async function sniff(file: InputFile, n = 512): Promise<{ head: Uint8Array; gzipped: boolean }> {
  const reader = await openFile(file);
  try {
    const head = await reader.read(n);
    return { head, gzipped: reader.gzipped };
  } catch {
    // A corrupt gzip body still tells us what the file claims to be; the loader reports the damage.
    return { head: EMPTY, gzipped: reader.gzipped };
  } finally {
    await reader.cancel();
  }
}
