// Reading a dealer's events (GET /events) and firing the test ping.
import type { Queryable } from '../../lib/db';
import { NotFoundError } from '../errors';
import { whereScope, type Actor, type Scope } from '../platform/actor';
import type { EventType } from './catalog';
import type { EventRow } from './event-store';
import { paginate, type Page, type PageRequest } from '../platform/pagination';
import { withEvents, type UnitOfWorkDeps } from '../platform/unit-of-work';

const isEventId = (id: string) => /^evt_[0-9A-Za-z]{1,64}$/.test(id);

/** Newest first, like a log; a cursor pages back in time, so new events never shift a page. */
export async function listEvents(
  db: Queryable,
  scope: Scope,
  page: PageRequest,
  filter: { type?: EventType } = {},
): Promise<Page<EventRow>> {
  return paginate<EventRow>(() => db('events').where(whereScope(scope)), page, {
    direction: 'desc',
    validId: isEventId,
    filter: (q) => {
      if (filter.type) q.where({ type: filter.type });
    },
  });
}

export async function getEvent(db: Queryable, scope: Required<Scope>, id: string): Promise<EventRow> {
  const row = isEventId(id)
    ? await db<EventRow>('events').where({ id, dealer_id: scope.dealerId, livemode: scope.livemode }).first()
    : undefined;
  if (!row) throw new NotFoundError('event', id, 'id');
  return row;
}

export const TEST_EVENT_MESSAGE = 'Test event from /v1/test/webhook_ping.';

/** `integration.test_event` goes to every endpoint of the caller's mode, whatever its subscriptions. */
export async function sendTestEvent(deps: UnitOfWorkDeps, actor: Actor): Promise<EventRow> {
  return withEvents(deps, (_trx, emit) =>
    emit({
      dealerId: actor.dealerId,
      livemode: actor.livemode,
      type: 'integration.test_event',
      object: { message: TEST_EVENT_MESSAGE },
      origin: actor.origin,
      originIntegrationId: actor.integrationId,
    }),
  );
}
