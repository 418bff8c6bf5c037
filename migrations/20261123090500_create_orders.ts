import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    // The channel that reported the order; external_id is unique per channel.
    t.uuid('integration_id').notNullable().references('integrations.id').onDelete('CASCADE');
    t.text('external_id').notNullable();
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'fulfilled', 'cancelled']);
    t.bigInteger('total_amount').notNullable();
    t.specificType('currency', 'char(3)').notNullable();
    t.jsonb('buyer');
    t.jsonb('line_items').notNullable().defaultTo('[]');
    t.timestamp('ordered_at', { useTz: true });
    t.uuid('matched_listing_id').references('listings.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['integration_id', 'livemode', 'external_id']);
    t.index(['dealer_id', 'livemode', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('orders');
}
