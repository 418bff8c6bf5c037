import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // "Recover every failed delivery of this endpoint since T" and the delivery log's newest-first
  // listing per endpoint both walk this index.
  await knex.raw('CREATE INDEX deliveries_endpoint_seq ON deliveries (endpoint_id, seq)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX deliveries_endpoint_seq');
}
