import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per delivery attempt to a listener endpoint: the attempt activity writes it and
  // waits; the API stream of the connected `wth listen` signs it at hand-over and sends it; the
  // CLI's acknowledgement (after its local POST answered) fills in the outcome.
  await knex.schema.createTable('listener_handoffs', (t) => {
    t.bigIncrements('id');
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.text('delivery_id').notNullable().references('deliveries.id').onDelete('CASCADE');
    t.integer('attempt_number').notNullable();
    t.text('event_id').notNullable();
    t.text('event_type').notNullable();
    // Listeners get events one at a time in event order.
    t.bigInteger('event_seq').notNullable();
    // The exact bytes to POST (signed at hand-over, never re-serialised).
    t.text('body').notNullable();
    t.timestamp('created_at', { precision: 3, useTz: true }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp('expires_at', { precision: 3, useTz: true }).notNullable();
    t.timestamp('handed_at', { precision: 3, useTz: true });
    t.integer('handed_count').notNullable().defaultTo(0);
    t.text('session_id');
    t.text('connection_id');
    t.text('signature_header');
    t.timestamp('acked_at', { precision: 3, useTz: true });
    t.timestamp('expired_at', { precision: 3, useTz: true });
    t.integer('status_code');
    t.text('error');
    t.text('response_body_preview');
    t.integer('duration_ms');
    // Activities run at least once: a re-run of the same attempt finds its hand-over.
    t.unique(['delivery_id', 'attempt_number']);
  });
  await knex.raw(
    'CREATE INDEX listener_handoffs_open ON listener_handoffs (endpoint_id, event_seq) WHERE acked_at IS NULL AND expired_at IS NULL',
  );
  await knex.raw('CREATE INDEX listener_handoffs_created ON listener_handoffs (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('listener_handoffs');
}
