import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dealers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.text('password_hash');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX dealers_email_unique ON dealers (lower(email))');

  // Every channel a dealer connects is an integration; only `custom` ones get API keys, the
  // others exist so that events can name where a change came from (echo suppression).
  await knex.schema.createTable('integrations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['custom', 'shopify', 'ebay', 'dashboard']);
    t.text('name').notNullable();
    // Test mode is the default; live keys only work once the dealer flips this.
    t.boolean('live_enabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dealer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('integrations');
  await knex.schema.dropTable('dealers');
}
