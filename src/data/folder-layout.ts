// The image_dataset_from_directory convention: one subfolder per class (images may sit deeper inside it),
// optionally under train/ and test/. Paths are relative to the drop, so the dropped folder's own name is
// stripped first.
import { excerpt, nameList } from './text';
import { DatasetError, type InputFile } from './types';

export interface LabeledFile {
  file: InputFile;
  label: number;
}

export interface FolderLayout {
  name: string;
  classNames: string[];
  train: LabeledFile[];
  test: LabeledFile[] | null;
  notes: string[];
}

const TEST_DIRS = ['test', 'testing', 'val', 'validation'];

export function layoutFolder(files: InputFile[], container: string): FolderLayout {
  let parts = files.map((f) => f.path.split('/').filter((p) => p.length > 0));
  const stripped: string[] = [];
  // Strip the folders every image shares, as long as each image then still sits in a class folder.
  while (parts.length > 0 && parts.every((p) => p.length >= 3 && p[0] === parts[0][0])) {
    stripped.push(parts[0][0]);
    parts = parts.map((p) => p.slice(1));
  }
  const name = container || stripped[0] || 'images';
  const notes: string[] = [];
  const tops = new Set(parts.filter((p) => p.length >= 2).map((p) => p[0].toLowerCase()));
  const splitMode = tops.has('train') && [...tops].every((t) => t === 'train' || TEST_DIRS.includes(t));
  const testDir = splitMode ? TEST_DIRS.find((t) => tops.has(t)) : undefined;
  const loose: string[] = [];
  const entries: { file: InputFile; cls: string; split: 'train' | 'test' }[] = [];
  parts.forEach((p, i) => {
    const depth = splitMode ? 3 : 2;
    if (p.length < depth) {
      loose.push(files[i].path);
      return;
    }
    if (!splitMode) {
      entries.push({ file: files[i], cls: p[0], split: 'train' });
      return;
    }
    const top = p[0].toLowerCase();
    if (top === 'train') entries.push({ file: files[i], cls: p[1], split: 'train' });
    else if (top === testDir) entries.push({ file: files[i], cls: p[1], split: 'test' });
    else loose.push(files[i].path);
  });
  if (loose.length) {
    notes.push(
      `${loose.length} image${loose.length > 1 ? 's are' : ' is'} not inside a class folder and ${loose.length > 1 ? 'were' : 'was'} ignored: ${nameList(loose)}`,
    );
  }
  const trainClasses = [...new Set(entries.filter((e) => e.split === 'train').map((e) => e.cls))].sort();
  if (trainClasses.length === 0) {
    throw new DatasetError(
      name,
      'has images but no class folders: put the images of each class in its own subfolder (cats/, dogs/...)',
    );
  }
  if (trainClasses.length === 1) {
    throw new DatasetError(
      name,
      `has only one class folder (${excerpt(trainClasses[0], 60)}); a classifier needs at least two subfolders, one per class`,
    );
  }
  const testOnly = [...new Set(entries.filter((e) => e.split === 'test').map((e) => e.cls))].filter(
    (c) => !trainClasses.includes(c),
  );
  if (testOnly.length) {
    throw new DatasetError(
      `${name}/${testDir}`,
      `has class folders that train/ does not have (${nameList(testOnly)}); both must use the same classes`,
    );
  }
  const byPath = (a: { file: InputFile }, b: { file: InputFile }) =>
    a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0;
  const pick = (split: 'train' | 'test') =>
    entries
      .filter((e) => e.split === split)
      .sort(byPath)
      .map((e) => ({ file: e.file, label: trainClasses.indexOf(e.cls) }));
  return {
    name,
    classNames: trainClasses,
    train: pick('train'),
    test: splitMode && testDir ? pick('test') : null,
    notes,
  };
}
