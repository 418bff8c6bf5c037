import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('external_id');
    t.text('email');
    t.text('name');
    t.text('phone');
    t.boolean('accepts_marketing').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Upserts match on external_id first, then email; both are unique per dealer and mode.
  await knex.raw(
    'CREATE UNIQUE INDEX customers_external_id_unique ON customers (dealer_id, livemode, external_id) WHERE external_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE UNIQUE INDEX customers_email_unique ON customers (dealer_id, livemode, lower(email)) WHERE email IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customers');
}
