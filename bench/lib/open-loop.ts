// Open-loop load: requests leave on a fixed schedule (rate x time) whether or not earlier ones
// have been answered, so a slow system builds a backlog instead of slowing the generator down
// (a closed loop would hide exactly the saturation the bench is looking for).

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  scheduled: number;
  sent: number;
  ok: number;
  failed: number;
  /** Sends skipped because `maxInFlight` requests were already waiting: the target is saturated. */
  skipped: number;
  maxInFlight: number;
  errors: Record<string, number>;
}

export async function openLoop(opts: {
  rate: number;
  seconds: number;
  send: (seq: number) => Promise<void>;
  maxInFlight?: number;
  /** Called every tick, e.g. to sample a backlog. */
  onTick?: (elapsedMs: number) => void;
  shouldStop?: () => boolean;
}): Promise<OpenLoopResult> {
  const maxInFlight = opts.maxInFlight ?? 500;
  const scheduled = Math.round(opts.rate * opts.seconds);
  const result: OpenLoopResult = {
    rate: opts.rate,
    seconds: opts.seconds,
    scheduled,
    sent: 0,
    ok: 0,
    failed: 0,
    skipped: 0,
    maxInFlight: 0,
    errors: {},
  };
  const pending = new Set<Promise<void>>();
  const t0 = Date.now();
  let due = 0;
  while (due < scheduled && !opts.shouldStop?.()) {
    const elapsed = Date.now() - t0;
    const nowDue = Math.min(scheduled, Math.floor((elapsed * opts.rate) / 1000) + 1);
    for (; due < nowDue; due++) {
      if (pending.size >= maxInFlight) {
        result.skipped++;
        continue;
      }
      const seq = due;
      result.sent++;
      const p = opts
        .send(seq)
        .then(
          () => {
            result.ok++;
          },
          (err: unknown) => {
            result.failed++;
            const key = errorKey(err);
            result.errors[key] = (result.errors[key] ?? 0) + 1;
          },
        )
        .finally(() => pending.delete(p));
      pending.add(p);
      result.maxInFlight = Math.max(result.maxInFlight, pending.size);
    }
    opts.onTick?.(elapsed);
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  return result;
}

function errorKey(err: unknown): string {
  if (err instanceof HttpStatusError) return `http_${err.status}`;
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.cause?.code ?? e?.code ?? (err instanceof Error ? err.name : 'error');
}

export class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
