import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('listings', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // Monotonic order for cursor pagination that stays stable while rows are inserted.
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('brand').notNullable();
    t.text('model').notNullable();
    t.text('reference').notNullable();
    t.integer('year');
    t.text('condition').notNullable();
    t.bigInteger('price_amount').notNullable();
    t.specificType('price_currency', 'char(3)').notNullable();
    t.jsonb('photos').notNullable().defaultTo('[]');
    t.text('status').notNullable().defaultTo('in_stock').checkIn(['in_stock', 'sold']);
    t.boolean('custom_channel').notNullable().defaultTo(false);
    t.timestamp('published_at', { useTz: true });
    t.uuid('sold_by_order_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dealer_id', 'livemode', 'custom_channel', 'seq']);
    t.index(['dealer_id', 'livemode', 'reference']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('listings');
}
