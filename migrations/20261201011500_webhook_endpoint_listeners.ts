import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A `listener` endpoint is a developer's `wth listen` session: no URL, events are handed to
  // the CLI over its long-lived connection. One per integration, mode and name (stable per
  // machine), reused by every run with that name.
  await knex.schema.alterTable('webhook_endpoints', (t) => {
    t.text('kind').notNullable().defaultTo('url').checkIn(['url', 'listener']);
    t.text('listener_name');
    // The connected CLI process (it picks the session id) and the stream currently serving it;
    // seen_at is bumped by the stream's heartbeats, so a crashed API process goes stale.
    t.text('listener_session_id');
    t.text('listener_connection_id');
    t.timestamp('listener_connected_at', { useTz: true });
    t.timestamp('listener_seen_at', { useTz: true });
  });
  await knex.raw('ALTER TABLE webhook_endpoints ALTER COLUMN url DROP NOT NULL');
  await knex.raw(
    "ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_kind_shape CHECK ((kind = 'url' AND url IS NOT NULL) OR (kind = 'listener' AND listener_name IS NOT NULL))",
  );
  await knex.raw(
    "CREATE UNIQUE INDEX webhook_endpoints_listener_name ON webhook_endpoints (integration_id, livemode, listener_name) WHERE kind = 'listener'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX webhook_endpoints_listener_name');
  await knex.raw('ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_kind_shape');
  await knex('webhook_endpoints').where({ kind: 'listener' }).delete();
  await knex.raw('ALTER TABLE webhook_endpoints ALTER COLUMN url SET NOT NULL');
  await knex.schema.alterTable('webhook_endpoints', (t) => {
    t.dropColumns(
      'kind',
      'listener_name',
      'listener_session_id',
      'listener_connection_id',
      'listener_connected_at',
      'listener_seen_at',
    );
  });
}
