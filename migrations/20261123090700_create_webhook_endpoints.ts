import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.text('id').primary();
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.uuid('integration_id').notNullable().references('integrations.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('url').notNullable();
    t.text('description');
    t.specificType('enabled_events', 'text[]').notNullable().defaultTo(knex.raw("'{*}'::text[]"));
    t.text('status').notNullable().defaultTo('enabled').checkIn(['enabled', 'disabled']);
    t.text('disabled_reason');
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dealer_id', 'livemode']);
    t.index(['integration_id']);
  });

  // Several rows per endpoint during a rotation grace period; read at send time.
  await knex.schema.createTable('webhook_endpoint_secrets', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    // AES-256-GCM: iv (12) || tag (16) || ciphertext.
    t.binary('ciphertext').notNullable();
    t.timestamp('created_at', { precision: 6, useTz: true }).notNullable().defaultTo(knex.fn.now(6));
    t.timestamp('expires_at', { useTz: true });
    t.index(['endpoint_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_endpoint_secrets');
  await knex.schema.dropTable('webhook_endpoints');
}
