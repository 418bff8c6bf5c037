import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Why a delivery ended the way it did when no attempt says so (its workflow was terminated or
  // timed out by an operator), and a partial index the reconciler walks to find pending rows.
  await knex.schema.alterTable('deliveries', (t) => {
    t.text('status_reason');
  });
  await knex.raw("CREATE INDEX deliveries_pending_seq ON deliveries (seq) WHERE status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX deliveries_pending_seq');
  await knex.schema.alterTable('deliveries', (t) => {
    t.dropColumn('status_reason');
  });
}
