// CPU time and memory of a process (and, for Postgres, its backends) from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticks: number | null = null;
function clockTicks(): number {
  if (ticks === null) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export interface ProcSample {
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssMb: number;
  /** VmHWM: the peak resident set of the process so far. */
  peakRssMb: number;
}

export function readProc(pid: number): ProcSample | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSeconds: (utime + stime) / clockTicks(), rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return null; // gone
  }
}

export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * A process and its direct children summed (Postgres forks a backend per connection). Children
 * that exit take their CPU time with them, so sample often for multi-process servers.
 */
export function readProcTree(pid: number): ProcSample | null {
  const root = readProc(pid);
  if (!root) return null;
  for (const c of childPids(pid)) {
    const s = readProc(c);
    if (!s) continue;
    root.cpuSeconds += s.cpuSeconds;
    root.rssMb += s.rssMb;
    root.peakRssMb += s.peakRssMb;
  }
  return root;
}

/** Tracks CPU used between start() and stop(), and the highest RSS seen, for named processes. */
export class ProcMonitor {
  private readonly tracked = new Map<
    string,
    { pid: () => number | null; tree: boolean; last: number; peakRssMb: number; cpu: number }
  >();
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;

  add(name: string, pid: () => number | null, opts: { tree?: boolean } = {}): void {
    this.tracked.set(name, { pid, tree: opts.tree ?? false, last: 0, peakRssMb: 0, cpu: 0 });
  }

  start(intervalMs = 500): void {
    this.startedAt = Date.now();
    for (const t of this.tracked.values()) {
      const s = this.read(t);
      t.cpu = 0;
      t.last = s?.cpuSeconds ?? 0;
      t.peakRssMb = s?.peakRssMb ?? 0;
    }
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private read(t: { pid: () => number | null; tree: boolean }): ProcSample | null {
    const pid = t.pid();
    if (!pid) return null;
    return t.tree ? readProcTree(pid) : readProc(pid);
  }

  private sample(): void {
    for (const t of this.tracked.values()) {
      const s = this.read(t);
      if (!s) continue;
      // A restarted process (or a Postgres backend that exited) makes the counter go down:
      // count from the new base instead of subtracting.
      if (s.cpuSeconds >= t.last) t.cpu += s.cpuSeconds - t.last;
      t.last = s.cpuSeconds;
      t.peakRssMb = Math.max(t.peakRssMb, s.peakRssMb, s.rssMb);
    }
  }

  stop(): Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }> {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const wall = (Date.now() - this.startedAt) / 1000;
    const out: Record<string, { cpuSeconds: number; cpuCores: number; peakRssMb: number }> = {};
    for (const [name, t] of this.tracked) {
      out[name] = {
        cpuSeconds: Math.round(t.cpu * 100) / 100,
        cpuCores: wall > 0 ? Math.round((t.cpu / wall) * 100) / 100 : 0,
        peakRssMb: Math.round(t.peakRssMb),
      };
    }
    return out;
  }
}
