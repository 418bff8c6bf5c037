import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per limited thing (an API key, a login email+IP): a window that starts at the
  // first request after the previous one expired. Kept in Postgres so that every API process
  // counts against the same limit.
  await knex.schema.createTable('rate_limit_counters', (t) => {
    t.text('bucket').primary();
    t.timestamp('window_start', { useTz: true }).notNullable();
    t.integer('count').notNullable();
    t.index(['window_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_counters');
}
