import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // An operator's "Reset" in Temporal UI re-runs an attempt in a new workflow run; it is sent
  // again as a new attempt with trigger `operator`. `activity_key` (workflow run id + activity
  // id) is what a retried activity of the same run finds, so a crash never sends twice.
  await knex.raw('ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_trigger_check');
  await knex.raw(
    "ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_trigger_check CHECK (\"trigger\" IN ('automatic', 'manual', 'operator'))",
  );
  await knex.schema.alterTable('delivery_attempts', (t) => {
    t.text('activity_key').unique();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('delivery_attempts', (t) => {
    t.dropColumn('activity_key');
  });
  await knex.raw('ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_trigger_check');
  await knex.raw(
    "ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_trigger_check CHECK (\"trigger\" IN ('automatic', 'manual'))",
  );
}
