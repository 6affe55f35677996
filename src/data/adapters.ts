// Turning what the page or a test has (a FileList, dropped directory entries, bytes) into InputFiles.
import { DatasetError, type InputFile } from './types';

/** Bytes as an InputFile; the stream hands them out in `chunkSize` pieces, like a real file read. */
export function fromBytes(path: string, bytes: Uint8Array, chunkSize = 1 << 20): InputFile {
  return {
    path,
    size: bytes.length,
    bytes: async () => bytes,
    stream: () => {
      let pos = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pos >= bytes.length) {
            controller.close();
            return;
          }
          const end = Math.min(bytes.length, pos + chunkSize);
          controller.enqueue(bytes.subarray(pos, end));
          pos = end;
        },
      });
    },
  };
}

function fromFile(file: File, path: string): InputFile {
  return {
    path,
    size: file.size,
    stream: () => file.stream() as ReadableStream<Uint8Array>,
    bytes: async () => new Uint8Array(await file.arrayBuffer()),
  };
}

/** Files from an <input type=file> (with webkitdirectory the paths keep the picked folder's name). */
export function fromFileList(list: FileList | File[]): InputFile[] {
  return Array.from(list, (f) => fromFile(f, f.webkitRelativePath || f.name));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: InputFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push(fromFile(file, entry.fullPath.replace(/^\//, '')));
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out at most ~100 entries per call: keep asking until it returns none.
  for (let batch = await readAll(reader); batch.length > 0; batch = await readAll(reader)) {
    for (const e of batch) await walk(e, out);
  }
}

/**
 * Files from a drop, walking dropped folders. The entries are taken synchronously, before the first await,
 * because the browser empties the DataTransfer once the drop handler returns. An empty dropped folder is
 * refused here, where its name is still known.
 */
export async function fromDataTransferItems(
  items: DataTransferItemList | DataTransferItem[],
): Promise<InputFile[]> {
  const entries: FileSystemEntry[] = [];
  const out: InputFile[] = [];
  for (const item of Array.from(items as ArrayLike<DataTransferItem>)) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) out.push(fromFile(f, f.name));
    }
  }
  for (const entry of entries) {
    const before = out.length;
    await walk(entry, out);
    if (entry.isDirectory && out.length === before) throw new DatasetError(entry.name, 'the folder is empty');
  }
  return out;
}
