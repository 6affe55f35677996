// Runs fuzz cases in a pool of child processes, each with a data-memory limit (ulimit -d) and a V8 heap
// limit, and a per-case CPU-time limit read from /proc (so a loaded machine does not turn slow into "hung"),
// plus a generous wall-clock limit for cases that wait forever. A child that dies or is killed is replaced.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseReport, Outcome } from './fuzz.check';

export interface FuzzOptions {
  seed: number;
  /** Case indices to run. */
  cases: number[];
  workers?: number;
  /** CPU time one case may use before it counts as a hang. */
  cpuLimitMs?: number;
  /** Wall time one case may take before it counts as a hang (waiting forever uses no CPU). */
  wallLimitMs?: number;
  /** Writable memory of each child (ulimit -d: address-space limits break WebAssembly), in MiB. */
  memoryMb?: number;
  onReport?: (r: CaseReport, done: number) => void;
}

export interface FuzzSummary {
  counts: Record<Outcome, number>;
  failures: CaseReport[];
}

const CHILD = join(import.meta.dirname, 'fuzz.child.ts');
const TICKS = 100; // USER_HZ on Linux

function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS; // utime + stime
  } catch {
    return 0;
  }
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  stderr: string;
}

function spawnChild(memoryMb: number): Slot {
  const heap = Math.min(2048, Math.floor(memoryMb / 2));
  const cmd = `ulimit -d ${memoryMb * 1024}; exec "${process.execPath}" --max-old-space-size=${heap} --stack-size=2000 --import tsx "${CHILD}"`;
  const child = spawn('bash', ['-c', cmd], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const slot: Slot = { child, stderr: '', ready: Promise.resolve() };
  child.stderr?.on('data', (d: Buffer) => {
    slot.stderr = (slot.stderr + d.toString()).slice(-2000);
  });
  slot.ready = new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`fuzz child exited at start (${code}): ${slot.stderr}`)));
  });
  return slot;
}

function runOne(
  slot: Slot,
  seed: number,
  index: number,
  cpuLimit: number,
  wallLimit: number,
): Promise<CaseReport | Outcome> {
  return new Promise((resolve) => {
    const pid = slot.child.pid ?? 0;
    const cpu0 = cpuMs(pid);
    const t0 = Date.now();
    const finish = (r: CaseReport | Outcome) => {
      clearInterval(timer);
      slot.child.off('message', onMessage);
      slot.child.off('exit', onExit);
      resolve(r);
    };
    const onMessage = (m: CaseReport) => finish(m);
    const onExit = () => finish('crash');
    const timer = setInterval(() => {
      if (cpuMs(pid) - cpu0 > cpuLimit || Date.now() - t0 > wallLimit) {
        slot.child.kill('SIGKILL');
        finish('hang');
      }
    }, 200);
    slot.child.on('message', onMessage);
    slot.child.once('exit', onExit);
    slot.child.send({ seed, index });
  });
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const counts: Record<Outcome, number> = {
    loaded: 0,
    refused: 0,
    crash: 0,
    hang: 0,
    'bad-message': 0,
    'accepted-invalid': 0,
  };
  const failures: CaseReport[] = [];
  const memoryMb = o.memoryMb ?? 3072;
  const queue = [...o.cases];
  let done = 0;
  const worker = async () => {
    let slot = spawnChild(memoryMb);
    await slot.ready;
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const r = await runOne(slot, o.seed, index, o.cpuLimitMs ?? 10_000, o.wallLimitMs ?? 60_000);
      let report: CaseReport;
      if (typeof r === 'string') {
        // The child died (out of memory, a stack overflow, an uncaught error) or was killed: replace it.
        const { makeCase } = await import('./fuzz.cases');
        report = { index, outcome: r, label: makeCase(o.seed, index).label, detail: slot.stderr.slice(-600) };
        slot.child.kill('SIGKILL');
        slot = spawnChild(memoryMb);
        await slot.ready;
      } else report = r;
      counts[report.outcome]++;
      if (report.outcome !== 'loaded' && report.outcome !== 'refused') failures.push(report);
      o.onReport?.(report, ++done);
    }
    slot.child.kill('SIGKILL');
  };
  await Promise.all(Array.from({ length: o.workers ?? 2 }, worker));
  return { counts, failures };
}
