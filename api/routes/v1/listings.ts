import { getPublishedListing, listPublishedListings } from '../../../domain/commerce/listings';
import { presentPage } from '../../presenters/list';
import { presentListing } from '../../presenters/listings';
import type { ApiRouter } from '../../route';
import { IdParamsSchema, PageQuerySchema, toPage } from '../../schemas/list';
import { ListingListSchema, ListingSchema } from '../../schemas/listings';

export function listingRoutes(r: ApiRouter): void {
  r.add({
    method: 'get',
    path: '/listings',
    operationId: 'listListings',
    summary: 'Listings published to the Custom Integration channel, oldest first',
    tags: ['Listings'],
    auth: 'api_key',
    query: PageQuerySchema,
    response: ListingListSchema,
    handler: async ({ auth, query, deps }) =>
      presentPage(await listPublishedListings(deps.db, auth, toPage(query)), presentListing),
  });

  r.add({
    method: 'get',
    path: '/listings/:id',
    operationId: 'getListing',
    summary: 'One published listing',
    tags: ['Listings'],
    auth: 'api_key',
    params: IdParamsSchema,
    response: ListingSchema,
    errors: [404],
    handler: async ({ auth, params, deps }) => presentListing(await getPublishedListing(deps.db, auth, params.id)),
  });
}
