// What the worker's attempts came to in one phase, read from its Prometheus counter. A
// `deferred` attempt sent nothing (its endpoint had its share in flight) but still cost the
// delivery workflow a timer and another workflow task, so it is Temporal work that delivers
// nothing: the number to look at when throughput falls under load.
import type { AppProcess } from './app-process';

export type AttemptCounts = Record<string, number>;

const LINE = /^wth_delivery_attempts_total\{result="([a-z_]+)"\} (\d+(?:\.\d+)?)$/;

export async function readAttemptCounts(worker: AppProcess): Promise<AttemptCounts> {
  const res = await fetch(`${worker.url}/metrics`);
  if (!res.ok) throw new Error(`worker metrics answered ${res.status}`);
  const counts: AttemptCounts = {};
  for (const line of (await res.text()).split('\n')) {
    const m = LINE.exec(line);
    if (m) counts[m[1] as string] = Number(m[2]);
  }
  return counts;
}

/** after − before, per result; results that did not move are left out. */
export function attemptDelta(before: AttemptCounts, after: AttemptCounts): AttemptCounts {
  const delta: AttemptCounts = {};
  for (const [result, n] of Object.entries(after)) {
    const d = n - (before[result] ?? 0);
    if (d > 0) delta[result] = d;
  }
  return delta;
}
