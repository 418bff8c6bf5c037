import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // "Re-send every failed delivery of an endpoint since T" runs as a background job (workflow
  // `recovery:<id>`); this row is what the API shows while it runs and after Temporal forgets it.
  // `upto_seq` fixes which deliveries it covers at the moment it was asked for.
  await knex.schema.createTable('delivery_recoveries', (t) => {
    t.text('id').primary();
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.timestamp('since', { precision: 3, useTz: true }).notNullable();
    t.bigInteger('upto_seq').notNullable();
    t.integer('count').notNullable();
    t.integer('resent').notNullable().defaultTo(0);
    t.text('status').notNullable().defaultTo('running').checkIn(['running', 'completed']);
    t.timestamp('created_at', { precision: 3, useTz: true }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp('completed_at', { precision: 3, useTz: true });
    t.index(['endpoint_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('delivery_recoveries');
}
