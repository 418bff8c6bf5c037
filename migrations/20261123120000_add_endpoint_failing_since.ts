import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Start of the current run of failed attempts (NULL after any success): auto-disable after
  // WEBHOOK_DISABLE_AFTER_MS of only failures is one comparison instead of a log scan.
  await knex.schema.alterTable('webhook_endpoints', (t) => {
    t.timestamp('failing_since', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_endpoints', (t) => {
    t.dropColumn('failing_since');
  });
}
