import { dashboardActor } from '../../../domain/platform/actor';
import {
  createListing,
  findListing,
  listDealerListings,
  markInStock,
  markSold,
  setCustomChannel,
  updateListing,
} from '../../../domain/commerce/listings';
import { NotFoundError } from '../../errors';
import { z } from '../../openapi/zod';
import { presentPage } from '../../presenters/list';
import { presentListing } from '../../presenters/listings';
import type { ApiRouter } from '../../route';
import { IdParamsSchema, LivemodeQueryShape, PageQueryShape, toPage } from '../../schemas/list';
import { ListingCreateSchema, ListingListSchema, ListingPatchSchema, ListingSchema } from '../../schemas/listings';

const ListQuery = z.object({ ...PageQueryShape, ...LivemodeQueryShape }).strict();
const ModeQuery = z.object(LivemodeQueryShape).strict();

/** The inventory actions that cause listing events; ids of another dealer are a 404. */
export function inventoryRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/listings',
    operationId: 'dashboardListListings',
    summary: 'All of the dealer’s listings in one mode, published or not',
    tags: ['Dashboard: inventory'],
    auth: 'dashboard',
    query: ListQuery,
    response: ListingListSchema,
    handler: async ({ auth, query, deps }) =>
      presentPage(
        await listDealerListings(deps.db, { dealerId: auth.dealerId, livemode: query.livemode }, toPage(query)),
        presentListing,
      ),
  });

  r.add({
    method: 'post',
    path: '/listings',
    operationId: 'dashboardCreateListing',
    summary: 'Add a listing to the inventory (unpublished)',
    tags: ['Dashboard: inventory'],
    auth: 'dashboard',
    query: ModeQuery,
    body: ListingCreateSchema,
    status: 201,
    response: ListingSchema,
    handler: async ({ auth, query, body, deps }) =>
      presentListing(await createListing(deps.db, await dashboardActor(deps.db, auth.dealerId, query.livemode), body)),
  });

  r.add({
    method: 'get',
    path: '/listings/:id',
    operationId: 'dashboardGetListing',
    summary: 'One listing',
    tags: ['Dashboard: inventory'],
    auth: 'dashboard',
    params: IdParamsSchema,
    response: ListingSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => {
      const row = await findListing(deps.db, { dealerId: auth.dealerId }, params.id);
      if (!row) throw new NotFoundError('listing', params.id, 'id');
      return presentListing(row);
    },
  });

  r.add({
    method: 'patch',
    path: '/listings/:id',
    operationId: 'dashboardUpdateListing',
    summary: 'Edit a listing; fires `listing.updated` with the previous values if it is published',
    tags: ['Dashboard: inventory'],
    auth: 'dashboard',
    params: IdParamsSchema,
    body: ListingPatchSchema,
    response: ListingSchema,
    errors: [404],
    handler: async ({ auth, params, body, deps }) => {
      const actor = await dashboardActor(deps.db, auth.dealerId, false);
      return presentListing(await updateListing(deps, actor, { dealerId: auth.dealerId }, params.id, body));
    },
  });

  const actions = [
    { path: 'publish', op: 'dashboardPublishListing', summary: 'Publish to the Custom Integration channel' },
    { path: 'unpublish', op: 'dashboardUnpublishListing', summary: 'Remove from the Custom Integration channel' },
    { path: 'mark_sold', op: 'dashboardMarkListingSold', summary: 'Mark sold (422 if already sold)' },
    {
      path: 'mark_in_stock',
      op: 'dashboardMarkListingInStock',
      summary: 'Return a sold listing to stock (422 if not sold)',
    },
  ] as const;
  for (const a of actions) {
    r.add({
      method: 'post',
      path: `/listings/:id/${a.path}`,
      operationId: a.op,
      summary: a.summary,
      tags: ['Dashboard: inventory'],
      auth: 'dashboard',
      params: IdParamsSchema,
      response: ListingSchema,
      errors: a.path.startsWith('mark_') ? [404, 422] : [404],
      handler: async ({ auth, params, deps }) => {
        const actor = await dashboardActor(deps.db, auth.dealerId, false);
        const scope = { dealerId: auth.dealerId };
        const row =
          a.path === 'publish' || a.path === 'unpublish'
            ? await setCustomChannel(deps, actor, scope, params.id, a.path === 'publish')
            : a.path === 'mark_sold'
              ? await markSold(deps, actor, scope, params.id)
              : await markInStock(deps, actor, scope, params.id);
        return presentListing(row);
      },
    });
  }
}
