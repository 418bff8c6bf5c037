// The account of a run: which event should reach which endpoint, what each receiver saw, and
// what is still owed. A run is valid only if every expected (event, endpoint) pair was
// received with a good signature, or is still pending in the delivery log (and listed).

export interface Receipt {
  endpointId: string;
  eventId: string;
  at: number;
  signatureOk: boolean;
}

export interface PendingInfo {
  status: string;
  attempts: number;
}

export interface MissingPair {
  eventId: string;
  endpointId: string;
  /** From the delivery log: null means the system has no record of owing this delivery. */
  pending: PendingInfo | null;
}

export interface LedgerReport {
  valid: boolean;
  events: number;
  expectedDeliveries: number;
  delivered: number;
  duplicates: number;
  badSignatures: number;
  /** Receipts nobody expected: another event, or an endpoint that should not have it. */
  unexpected: number;
  pending: MissingPair[];
  lost: MissingPair[];
  problems: string[];
}

const pairKey = (eventId: string, endpointId: string) => `${eventId} ${endpointId}`;

export class Ledger {
  private readonly expected = new Map<string, { endpoints: readonly string[]; answeredAt: number | null }>();
  private readonly firstReceipt = new Map<string, number>();
  private readonly receiptCount = new Map<string, number>();
  private readonly received: Receipt[] = [];
  private badSignatures = 0;
  private unexpectedReceipts = 0;
  private readonly listeners = new Set<() => void>();

  /** An event the system owes to `endpoints`; `answeredAt` is when the API answered (if it did). */
  expect(eventId: string, endpoints: readonly string[], answeredAt: number | null = null): void {
    const known = this.expected.get(eventId);
    if (known) {
      if (answeredAt !== null && known.answeredAt === null) known.answeredAt = answeredAt;
      return;
    }
    this.expected.set(eventId, { endpoints, answeredAt });
  }

  record(r: Receipt): void {
    this.received.push(r);
    if (!r.signatureOk) {
      this.badSignatures++;
      return;
    }
    const key = pairKey(r.eventId, r.endpointId);
    this.receiptCount.set(key, (this.receiptCount.get(key) ?? 0) + 1);
    if (!this.firstReceipt.has(key)) this.firstReceipt.set(key, r.at);
    for (const l of this.listeners) l();
  }

  /** A request a receiver could not read as an event envelope. */
  recordUnreadable(): void {
    this.unexpectedReceipts++;
  }

  onReceipt(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get eventCount(): number {
    return this.expected.size;
  }

  expectedPairs(filter?: (eventId: string, endpointId: string) => boolean): number {
    let n = 0;
    for (const [eventId, e] of this.expected) for (const ep of e.endpoints) if (!filter || filter(eventId, ep)) n++;
    return n;
  }

  deliveredPairs(filter?: (eventId: string, endpointId: string) => boolean): number {
    let n = 0;
    for (const [eventId, e] of this.expected)
      for (const ep of e.endpoints)
        if (this.firstReceipt.has(pairKey(eventId, ep)) && (!filter || filter(eventId, ep))) n++;
    return n;
  }

  /** Expected pairs not yet received. */
  outstanding(filter?: (eventId: string, endpointId: string) => boolean): { eventId: string; endpointId: string }[] {
    const out: { eventId: string; endpointId: string }[] = [];
    for (const [eventId, e] of this.expected)
      for (const ep of e.endpoints)
        if (!this.firstReceipt.has(pairKey(eventId, ep)) && (!filter || filter(eventId, ep)))
          out.push({ eventId, endpointId: ep });
    return out;
  }

  /** Milliseconds from the API's answer to the first good receipt, one value per delivered pair. */
  latencies(filter?: (eventId: string, endpointId: string) => boolean): number[] {
    const out: number[] = [];
    for (const [eventId, e] of this.expected) {
      if (e.answeredAt === null) continue;
      for (const ep of e.endpoints) {
        const at = this.firstReceipt.get(pairKey(eventId, ep));
        if (at !== undefined && (!filter || filter(eventId, ep))) out.push(at - e.answeredAt);
      }
    }
    return out;
  }

  events(): { eventId: string; answeredAt: number | null }[] {
    return [...this.expected].map(([eventId, e]) => ({ eventId, answeredAt: e.answeredAt }));
  }

  answeredAt(eventId: string): number | null {
    return this.expected.get(eventId)?.answeredAt ?? null;
  }

  firstReceiptAt(eventId: string, endpointId: string): number | undefined {
    return this.firstReceipt.get(pairKey(eventId, endpointId));
  }

  /**
   * The final account. `pendingLookup` answers from the delivery log for pairs never received;
   * `excused` pairs (endpoints made to fail on purpose) count as pending, never as lost, when
   * the log still owes them.
   */
  report(pendingLookup: Map<string, PendingInfo> = new Map()): LedgerReport {
    let expectedDeliveries = 0;
    let delivered = 0;
    let duplicates = 0;
    const pending: MissingPair[] = [];
    const lost: MissingPair[] = [];
    const expectedKeys = new Set<string>();
    for (const [eventId, e] of this.expected) {
      for (const endpointId of e.endpoints) {
        const key = pairKey(eventId, endpointId);
        expectedKeys.add(key);
        expectedDeliveries++;
        const n = this.receiptCount.get(key) ?? 0;
        if (n > 0) {
          delivered++;
          duplicates += n - 1;
          continue;
        }
        const info = pendingLookup.get(key) ?? null;
        const missing = { eventId, endpointId, pending: info };
        if (info && (info.status === 'pending' || info.status === 'failed')) pending.push(missing);
        else lost.push(missing);
      }
    }
    let unexpected = 0;
    for (const [key, n] of this.receiptCount) if (!expectedKeys.has(key)) unexpected += n;
    unexpected += this.unexpectedReceipts;
    const problems: string[] = [];
    if (lost.length) problems.push(`${lost.length} expected deliveries neither received nor pending`);
    if (this.badSignatures) problems.push(`${this.badSignatures} receipts with a bad signature`);
    if (unexpected) problems.push(`${unexpected} receipts nobody expected`);
    return {
      valid: problems.length === 0,
      events: this.expected.size,
      expectedDeliveries,
      delivered,
      duplicates,
      badSignatures: this.badSignatures,
      unexpected,
      pending,
      lost,
      problems,
    };
  }

  static pairKey = pairKey;
}
