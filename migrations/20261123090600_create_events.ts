import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Written in the same transaction as the domain change that causes it: this is the outbox.
  await knex.schema.createTable('events', (t) => {
    t.text('id').primary();
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('type').notNullable();
    t.text('api_version').notNullable().defaultTo('v1');
    // The envelope's `data`: { object, previous_attributes? }.
    t.jsonb('data').notNullable();
    // Which channel caused the change ('api' = a Custom Integration's key, 'dashboard', ...),
    // and which integration: echo suppression and test pings are decided from these.
    t.text('origin').notNullable();
    t.uuid('origin_integration_id').references('integrations.id').onDelete('SET NULL');
    t.timestamp('created_at', { precision: 3, useTz: true }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp('workflow_started_at', { useTz: true });
    t.index(['dealer_id', 'livemode', 'seq']);
  });
  await knex.raw('CREATE INDEX events_unstarted ON events (created_at) WHERE workflow_started_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('events');
}
