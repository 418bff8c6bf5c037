import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Admission control counts the deliveries planned and not yet attempted, many times a second.
  await knex.raw(
    "CREATE INDEX deliveries_awaiting_first_attempt ON deliveries (created_at) WHERE status = 'pending' AND attempt_count = 0",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX deliveries_awaiting_first_attempt');
}
