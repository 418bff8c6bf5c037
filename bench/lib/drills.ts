// Failure drills: under a steady load of events, break one part, restore it, and check the
// ledger: every committed event delivered to every endpoint that should have it, duplicates
// counted, and how long after the restore the backlog from before it was cleared.
import { connectTemporal } from '../../lib/temporal/gateway';
import { deliveryWorkflowId, eventWorkflowId } from '../../lib/temporal/contract';
import type { AppProcess } from './app-process';
import type { BenchStack } from './bench-stack';
import { Ledger, type LedgerReport } from './ledger';
import { openLoop, type OpenLoopResult } from './open-loop';
import { closeReceivers } from './receivers';
import { createTenant, pendingFromDeliveryLog, publish, reconcileCommitted } from './tenants';

export const DRILLS = ['worker-kill', 'api-kill', 'postgres-restart', 'temporal-restart', 'multi-kill'] as const;
export type DrillName = (typeof DRILLS)[number];

export interface DrillOptions {
  /** Events per second of the steady load. */
  rate: number;
  endpoints: number;
  /** Load before the break, and after the restore. */
  beforeSeconds: number;
  afterSeconds: number;
  /** How long the broken part stays down. */
  downSeconds: number;
  /** The longest the drill waits, after the load stops, for every committed event to arrive. */
  recoverTimeoutMs: number;
  log: (msg: string) => void;
}

export interface DrillResult {
  drill: DrillName;
  passed: boolean;
  /** From the break to the restored part being ready again. */
  outageMs: number;
  /** From the restore until every event committed up to then had reached every endpoint. */
  recoveryMs: number | null;
  /** Deliveries the receivers were in the middle of receiving when the part broke. */
  inFlightAtBreak: number;
  /** For a few deliveries still owed: what Temporal says about their workflows. */
  diagnosis: string[];
  load: Pick<OpenLoopResult, 'sent' | 'ok' | 'failed' | 'errors'>;
  ledger: LedgerReport;
}

/** Sends go round-robin to the running APIs; a refused connection is tried once on another. */
function apiPicker(apis: AppProcess[]) {
  let i = 0;
  return () => {
    const live = apis.filter((a) => a.running);
    const pool = live.length ? live : apis;
    return (pool[i++ % pool.length] as AppProcess).url;
  };
}

export async function runDrill(bs: BenchStack, name: DrillName, opts: DrillOptions): Promise<DrillResult> {
  const ledger = new Ledger();
  if (bs.apis.length === 0) await bs.addApi();
  if (bs.workers.length === 0) await bs.addWorker();
  const extra: AppProcess[] = [];
  if (name === 'multi-kill') {
    extra.push(await bs.addApi(), await bs.addWorker());
  }
  const apis = bs.apis.filter((a) => a.running);
  const pick = apiPicker(apis);
  const tenant = await createTenant({
    db: bs.db,
    secretsKey: bs.secretsKey,
    ledger,
    name: `drill-${name}`,
    endpoints: opts.endpoints,
    apiUrl: pick(),
  });
  // Every answer takes a while, so a killed worker is always killed mid-delivery.
  for (const r of tenant.receivers) r.mode = 'slow';
  try {
    let stop = false;
    const send = async () => {
      try {
        await publish(pick(), tenant, ledger, bs.db);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET') throw err;
        await publish(pick(), tenant, ledger, bs.db);
      }
    };
    opts.log(`${name}: steady load of ${opts.rate} events/s to ${opts.endpoints} endpoints`);
    const loadDone = openLoop({ rate: opts.rate, seconds: 3600, send, shouldStop: () => stop });
    await sleep(opts.beforeSeconds * 1000);

    const breakAt = Date.now();
    const inFlightAtBreak = tenant.receivers.reduce((n, r) => n + r.open, 0);
    opts.log(`${name}: breaking with ${inFlightAtBreak} deliveries in flight`);
    await breakAndRestore(bs, name, opts);
    const restoredAt = Date.now();
    opts.log(`${name}: restored after ${restoredAt - breakAt} ms`);

    await sleep(opts.afterSeconds * 1000);
    stop = true;
    const load = await loadDone;

    // Everything committed is owed, including events whose API died before answering.
    const deadline = Date.now() + opts.recoverTimeoutMs;
    for (;;) {
      await reconcileCommitted(bs.db, [tenant], ledger);
      if (ledger.outstanding().length === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    const report = ledger.report(await pendingFromDeliveryLog(bs.db, ledger.outstanding()));
    const recoveryMs = recoveryAfter(ledger, tenant.endpointIds, restoredAt);
    const diagnosis = report.pending.length ? await diagnose(bs, report.pending.slice(0, 3)) : [];
    for (const d of diagnosis) opts.log(`${name}: still owed: ${d}`);
    const passed = report.valid && report.pending.length === 0;
    opts.log(
      `${name}: ${passed ? 'PASS' : 'FAIL'}: ${report.delivered}/${report.expectedDeliveries} delivered, ` +
        `${report.duplicates} duplicates, recovered ${recoveryMs === null ? '-' : `${recoveryMs} ms`} after the restore`,
    );
    return {
      drill: name,
      passed,
      outageMs: restoredAt - breakAt,
      recoveryMs,
      inFlightAtBreak,
      diagnosis,
      load: { sent: load.sent, ok: load.ok, failed: load.failed, errors: load.errors },
      ledger: report,
    };
  } finally {
    await closeReceivers(tenant.receivers);
    for (const p of extra) await p.stop(5_000);
    bs.apis.splice(0, bs.apis.length, ...bs.apis.filter((a) => !extra.includes(a)));
    bs.workers.splice(0, bs.workers.length, ...bs.workers.filter((w) => !extra.includes(w)));
  }
}

async function breakAndRestore(bs: BenchStack, name: DrillName, opts: DrillOptions): Promise<void> {
  const down = opts.downSeconds * 1000;
  const [api, worker] = [bs.apis[0] as AppProcess, bs.workers[0] as AppProcess];
  switch (name) {
    case 'worker-kill':
      await worker.kill9();
      await sleep(down);
      await worker.start();
      return;
    case 'api-kill':
      await api.kill9();
      await sleep(down);
      await api.start();
      return;
    case 'postgres-restart':
      await bs.restartPostgres(down);
      return;
    case 'temporal-restart':
      await bs.restartTemporal(down);
      return;
    case 'multi-kill': {
      // One of two of each dies; the survivors carry the load while it is down.
      const [deadApi, deadWorker] = [bs.apis.at(-1) as AppProcess, bs.workers.at(-1) as AppProcess];
      await Promise.all([deadApi.kill9(), deadWorker.kill9()]);
      await sleep(down);
      await Promise.all([deadApi.start(), deadWorker.start()]);
      return;
    }
  }
}

/**
 * The moment every event committed before the restore (answered before it, or never answered
 * because the API died) had reached every endpoint, measured from the restore.
 */
function recoveryAfter(ledger: Ledger, endpoints: readonly string[], restoredAt: number): number | null {
  let last = restoredAt;
  for (const { eventId, answeredAt } of ledger.events()) {
    if (answeredAt !== null && answeredAt > restoredAt) continue;
    for (const ep of endpoints) {
      const at = ledger.firstReceiptAt(eventId, ep);
      if (at === undefined) return null;
      last = Math.max(last, at);
    }
  }
  return last - restoredAt;
}

async function diagnose(bs: BenchStack, owed: { eventId: string; endpointId: string }[]): Promise<string[]> {
  const { client, connection } = await connectTemporal({
    TEMPORAL_ADDRESS: bs.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
  });
  const describe = async (workflowId: string) => {
    try {
      const d = await client.workflow.getHandle(workflowId).describe();
      const raw = d.raw.pendingActivities ?? [];
      const acts = raw.map((a) => `${a.activityType?.name} attempt ${a.attempt} state ${a.state}`).join('; ');
      return `${workflowId} ${d.status.name}${acts ? ` [${acts}]` : ''} history ${d.historyLength}`;
    } catch (err) {
      return `${workflowId} ${err instanceof Error ? err.name : 'error'}`;
    }
  };
  try {
    const out: string[] = [];
    for (const p of owed) {
      const row = (await bs.db('deliveries').where({ event_id: p.eventId, endpoint_id: p.endpointId }).first()) as
        { id: string } | undefined;
      out.push(
        `${await describe(eventWorkflowId(p.eventId))} / ${row ? await describe(deliveryWorkflowId(row.id)) : 'no delivery row'}`,
      );
    }
    return out;
  } finally {
    await connection.close();
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
