import { apiActor } from '../../../domain/platform/actor';
import { bulkUpsertCustomers, upsertCustomer } from '../../../domain/commerce/customers';
import { presentCustomer } from '../../presenters/customers';
import type { ApiRouter } from '../../route';
import {
  CustomerBulkResultSchema,
  CustomerBulkSchema,
  CustomerSchema,
  CustomerUpsertSchema,
} from '../../schemas/customers';
import { DomainError } from '../../../domain/errors';
import { errorBody, toApiError } from '../../middleware/error-handler';
import { parseOrThrow } from '../../validation';

export function customerRoutes(r: ApiRouter): void {
  r.add({
    method: 'post',
    path: '/customers',
    operationId: 'upsertCustomer',
    summary: 'Create a customer, or update the one matched by external_id, then email',
    description:
      '`matched_existing` says whether a row was matched (200) or created (201). A match fires ' +
      '`customer.matched`, which is not delivered back to the integration that made the write.',
    tags: ['Customers'],
    auth: 'api_key',
    body: CustomerUpsertSchema,
    status: 201,
    responseDescription: 'Created.',
    alsoStatus: { 200: 'Matched an existing customer and updated it.' },
    response: CustomerSchema,
    errors: [409],
    handler: async ({ auth, body, deps, setStatus }) => {
      const result = await upsertCustomer(deps, apiActor(auth), body);
      if (result.matchedExisting) setStatus(200);
      return presentCustomer(result);
    },
  });

  r.add({
    method: 'post',
    path: '/customers/bulk',
    operationId: 'bulkUpsertCustomers',
    summary: 'Upsert up to 500 customers, answered item by item',
    description:
      'Each item is applied on its own: an invalid or failing item is answered with its error ' +
      '(`param` like `items[3].email`) and never blocks or half-applies another.',
    tags: ['Customers'],
    auth: 'api_key',
    body: CustomerBulkSchema,
    response: CustomerBulkResultSchema,
    handler: async ({ auth, body, deps }) => {
      const items = body.items.map((raw, i) => {
        try {
          return { input: parseOrThrow(CustomerUpsertSchema, raw, ['items', i]) };
        } catch (err) {
          if (err instanceof DomainError) return { error: err };
          throw err;
        }
      });
      const results = await bulkUpsertCustomers(deps, apiActor(auth), items);
      return {
        object: 'customer_bulk_result' as const,
        data: results.map((r) =>
          r.status === 'error'
            ? { index: r.index, status: r.status, error: errorBody(toApiError(r.error)).error }
            : { index: r.index, status: r.status, customer: presentCustomer(r.result) },
        ),
      };
    },
  });
}
