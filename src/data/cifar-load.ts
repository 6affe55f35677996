// Loads CIFAR from loose files (the extracted folder or some of its batches) or from the downloaded
// .tar.gz, streaming: binary batches are transposed chunk by chunk as they are gunzipped; a Python batch
// is parsed one entry (about 31 MB) at a time.
import { CifarCollector } from './cifar';
import { type CifarRole, cifarRole, parseNamesText } from './cifar-files';
import { openFile } from './stream';
import { readTar } from './tar';
import { nameList } from './text';
import { baseName, type Dataset, DatasetError, type InputFile, type Progress } from './types';

export interface CifarFile {
  file: InputFile;
  role: CifarRole;
}

function rank(r: CifarRole): number {
  if (r.kind !== 'batch') return 0;
  return (r.split === 'train' ? 1 : 2) * 1000 + r.order;
}

export async function loadCifarFiles(
  files: CifarFile[],
  source: string,
  onProgress?: Progress,
): Promise<Dataset> {
  const collector = new CifarCollector();
  const total = files.reduce((a, f) => a + f.file.size, 0) || 1;
  let done = 0;
  for (const { file, role } of [...files].sort((a, b) => rank(a.role) - rank(b.role))) {
    const name = baseName(file.path);
    onProgress?.(done / total, `reading ${name}`);
    if (role.kind === 'batch' && role.format === 'bin') {
      const reader = await openFile(file, (n) => onProgress?.((done + n) / total, `reading ${name}`));
      try {
        await collector.addBinary(role, name, file.size, () => reader.chunk());
      } finally {
        await reader.cancel();
      }
    } else if (role.kind === 'batch') {
      collector.addPickle(role, name, await file.bytes());
    } else if (role.kind === 'meta') {
      const bytes = await file.bytes();
      collector.setMeta(role, name, bytes, role.format === 'bin' ? parseNamesText(bytes) : null);
    }
    done += file.size;
  }
  onProgress?.(1, 'done');
  return collector.finish(source);
}

/** A CIFAR .tar.gz (or .tar): binary or Python version, CIFAR-10 or CIFAR-100. */
export async function loadCifarArchive(file: InputFile, onProgress?: Progress): Promise<Dataset> {
  const archive = baseName(file.path);
  const collector = new CifarCollector();
  const others: string[] = [];
  let batches = 0;
  const total = file.size || 1;
  let current = '';
  const reader = await openFile(file, (n) =>
    onProgress?.(Math.min(1, n / total), `reading ${current || archive}`),
  );
  try {
    await readTar(reader, archive, async (entry, body) => {
      const role = cifarRole(entry.path);
      const name = baseName(entry.path);
      current = name;
      if (!role) {
        others.push(name);
        return;
      }
      if (role.kind === 'batch' && role.format === 'bin') {
        await collector.addBinary(role, name, entry.size, () => body.chunk());
        batches++;
      } else if (role.kind === 'batch') {
        collector.addPickle(role, name, await body.readAll());
        batches++;
      } else if (role.kind === 'meta') {
        const bytes = await body.readAll();
        collector.setMeta(role, name, bytes, role.format === 'bin' ? parseNamesText(bytes) : null);
      }
    });
  } finally {
    await reader.cancel();
  }
  if (batches === 0) {
    const found = others.length ? `found ${nameList(others)}` : 'it is empty';
    throw new DatasetError(archive, `is a tar archive but holds no CIFAR batches (${found})`);
  }
  onProgress?.(1, 'done');
  return collector.finish(archive);
}
