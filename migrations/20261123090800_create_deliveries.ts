import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per event x endpoint, one per HTTP attempt (the delivery log).
  await knex.schema.createTable('deliveries', (t) => {
    t.text('id').primary();
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.text('event_id').notNullable().references('events.id').onDelete('CASCADE');
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.uuid('dealer_id').notNullable().references('dealers.id').onDelete('CASCADE');
    t.boolean('livemode').notNullable();
    t.text('event_type').notNullable();
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'succeeded', 'failed']);
    t.integer('attempt_count').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true });
    t.timestamp('last_attempt_at', { useTz: true });
    t.integer('last_status_code');
    t.timestamp('created_at', { precision: 3, useTz: true }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp('updated_at', { precision: 3, useTz: true }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['event_id', 'endpoint_id']);
    t.index(['endpoint_id', 'status', 'created_at']);
    t.index(['dealer_id', 'livemode', 'seq']);
  });

  await knex.schema.createTable('delivery_attempts', (t) => {
    t.bigIncrements('id');
    t.text('delivery_id').notNullable().references('deliveries.id').onDelete('CASCADE');
    t.integer('attempt_number').notNullable();
    t.text('trigger').notNullable().checkIn(['automatic', 'manual']);
    t.timestamp('started_at', { precision: 3, useTz: true }).notNullable();
    t.integer('duration_ms').notNullable();
    t.integer('status_code');
    t.text('error');
    t.text('response_body_preview');
    t.text('signature_header').notNullable();
    // Activities run at least once: the unique key makes a re-run record nothing twice.
    t.unique(['delivery_id', 'attempt_number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('delivery_attempts');
  await knex.schema.dropTable('deliveries');
}
