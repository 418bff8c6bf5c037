// Customer upserts: match by external_id, then by email (case-insensitive), else create.
// A match fires `customer.matched`, which echo suppression keeps from the integration that
// made the write.
import type { Knex } from 'knex';
import type { Tx } from '../../lib/db';
import { ConflictError, DomainError, InternalError } from '../errors';
import { dbNow } from '../platform/sql';
import type { Actor } from '../platform/actor';
import type { Emit, UnitOfWorkDeps } from '../platform/unit-of-work';
import { withEvents } from '../platform/unit-of-work';

export interface CustomerRow {
  id: string;
  seq: string;
  dealer_id: string;
  livemode: boolean;
  external_id: string | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  accepts_marketing: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface CustomerInput {
  external_id?: string;
  email?: string;
  name?: string | null;
  phone?: string | null;
  accepts_marketing?: boolean;
}

export interface UpsertResult {
  row: CustomerRow;
  matchedExisting: boolean;
}

/** Catalog shape of `customer.matched`'s `data.object`. */
export function customerEventObject(row: CustomerRow, matchedExisting: boolean) {
  return {
    id: row.id,
    object: 'customer' as const,
    external_id: row.external_id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    matched_existing: matchedExisting,
    accepts_marketing: row.accepts_marketing,
    created_at: row.created_at.toISOString(),
  };
}

const internalError = () => new InternalError('This item failed; it was not applied.');

/** A service error about `email` becomes one about `items[3].email`, like the validation errors. */
const itemError = (e: DomainError, index: number) => (e.param ? e.atParam(`items[${index}].${e.param}`) : e);

const UNIQUE_VIOLATION = '23505';
const MAX_ATTEMPTS = 3;

async function findMatch(trx: Knex.Transaction, actor: Actor, input: CustomerInput): Promise<CustomerRow | undefined> {
  const scope = { dealer_id: actor.dealerId, livemode: actor.livemode };
  if (input.external_id !== undefined) {
    const byExternal = await trx<CustomerRow>('customers')
      .where({ ...scope, external_id: input.external_id })
      .forUpdate()
      .first();
    if (byExternal) return byExternal;
  }
  if (input.email !== undefined) {
    return trx<CustomerRow>('customers')
      .where(scope)
      .whereRaw('lower(email) = lower(?)', [input.email])
      .forUpdate()
      .first();
  }
  return undefined;
}

function fieldsOf(input: CustomerInput): Partial<CustomerRow> {
  const f: Partial<CustomerRow> = {};
  if (input.external_id !== undefined) f.external_id = input.external_id;
  if (input.email !== undefined) f.email = input.email;
  if (input.name !== undefined) f.name = input.name;
  if (input.phone !== undefined) f.phone = input.phone;
  if (input.accepts_marketing !== undefined) f.accepts_marketing = input.accepts_marketing;
  return f;
}

/** Runs `fn` in a savepoint; a unique violation rolls back only the savepoint. */
async function savepoint<T>(trx: Tx, fn: (sp: Tx) => Promise<T>): Promise<T | 'conflict'> {
  try {
    return await trx.transaction(fn);
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) return 'conflict';
    throw err;
  }
}

/**
 * One upsert inside the caller's transaction. Two concurrent upserts of the same new customer
 * both miss the lookup; the loser's insert hits the unique index (in a savepoint, so the
 * transaction survives), and its retry finds the winner's row as a match.
 */
export async function upsertCustomerIn(trx: Tx, actor: Actor, input: CustomerInput): Promise<UpsertResult> {
  for (let attempt = 1; ; attempt++) {
    const existing = await findMatch(trx, actor, input);
    if (existing) {
      if (
        input.external_id !== undefined &&
        existing.external_id !== null &&
        existing.external_id !== input.external_id
      ) {
        throw new ConflictError(
          `A customer with this email already has external_id '${existing.external_id}'.`,
          'customer_external_id_mismatch',
          'external_id',
        );
      }
      const updated = await savepoint(trx, async (sp) => {
        const [row] = await sp<CustomerRow>('customers')
          .where({ id: existing.id })
          .update({ ...fieldsOf(input), updated_at: dbNow(sp) } as Partial<CustomerRow>)
          .returning('*');
        return row as CustomerRow;
      });
      if (updated === 'conflict') {
        throw new ConflictError('Another customer already has this email.', 'customer_email_taken', 'email');
      }
      return { row: updated, matchedExisting: true };
    }
    const created = await savepoint(trx, async (sp) => {
      const [row] = await sp<CustomerRow>('customers')
        .insert({ dealer_id: actor.dealerId, livemode: actor.livemode, ...fieldsOf(input) })
        .returning('*');
      return row as CustomerRow;
    });
    if (created !== 'conflict') return { row: created, matchedExisting: false };
    if (attempt >= MAX_ATTEMPTS) {
      throw new ConflictError('The customer changed concurrently; retry the request.', 'concurrent_update');
    }
  }
}

export async function emitMatched(emit: Emit, actor: Actor, r: UpsertResult): Promise<void> {
  if (!r.matchedExisting) return;
  await emit({
    dealerId: actor.dealerId,
    livemode: actor.livemode,
    type: 'customer.matched',
    object: customerEventObject(r.row, true),
    origin: actor.origin,
    originIntegrationId: actor.integrationId,
  });
}

export async function upsertCustomer(deps: UnitOfWorkDeps, actor: Actor, input: CustomerInput): Promise<UpsertResult> {
  return withEvents(deps, async (trx, emit) => {
    const r = await upsertCustomerIn(trx, actor, input);
    await emitMatched(emit, actor, r);
    return r;
  });
}

export type BulkItemResult =
  | { index: number; status: 'created' | 'matched'; result: UpsertResult }
  | { index: number; status: 'error'; error: DomainError };

/**
 * Each item runs in its own savepoint: a failing item rolls back alone and the others commit.
 * Items that failed validation arrive as errors already and are passed through in place.
 */
export async function bulkUpsertCustomers(
  deps: UnitOfWorkDeps,
  actor: Actor,
  items: ({ input: CustomerInput } | { error: DomainError })[],
): Promise<BulkItemResult[]> {
  return withEvents(
    deps,
    async (trx, emit) => {
      const results: BulkItemResult[] = [];
      for (const [index, item] of items.entries()) {
        if ('error' in item) {
          results.push({ index, status: 'error', error: item.error });
          continue;
        }
        try {
          const r = await trx.transaction((sp) => upsertCustomerIn(sp, actor, item.input));
          // Emitted after the savepoint is released, so a rolled-back item never leaves an event.
          await emitMatched(emit, actor, r);
          results.push({ index, status: r.matchedExisting ? 'matched' : 'created', result: r });
        } catch (err) {
          if (!(err instanceof DomainError)) {
            // Type and SQLSTATE only: a query error's message carries the SQL and its values.
            const code = (err as { code?: unknown }).code;
            deps.logger.error({ index, type: (err as Error).name, code }, 'bulk customer item failed');
          }
          results.push({
            index,
            status: 'error',
            error: err instanceof DomainError ? itemError(err, index) : internalError(),
          });
        }
      }
      return results;
    },
    { startInBackground: true },
  );
}
