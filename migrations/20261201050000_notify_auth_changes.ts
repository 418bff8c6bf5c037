import type { Knex } from 'knex';

// API processes cache key lookups; any change that could make a cached answer wrong (a key
// revoked, an integration switched off live mode, a dealer or integration removed or renamed)
// notifies `wth_auth_changed` at commit, whichever path made it (dashboard, CLI, SQL by hand).
// `UPDATE OF` leaves out last_used_at, which is written all the time and changes nothing.
const TRIGGERS: [table: string, events: string][] = [
  ['api_keys', 'UPDATE OF key_hash, prefix, livemode, revoked_at, integration_id OR DELETE'],
  ['integrations', 'UPDATE OF kind, name, live_enabled, dealer_id OR DELETE'],
  ['dealers', 'UPDATE OF name OR DELETE'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION wth_notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('wth_auth_changed', TG_TABLE_NAME);
      RETURN NULL;
    END $$`);
  for (const [table, events] of TRIGGERS) {
    await knex.raw(
      `CREATE TRIGGER ${table}_notify_auth_changed AFTER ${events} ON ${table}
       FOR EACH STATEMENT EXECUTE FUNCTION wth_notify_auth_changed()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of TRIGGERS) await knex.raw(`DROP TRIGGER ${table}_notify_auth_changed ON ${table}`);
  await knex.raw('DROP FUNCTION wth_notify_auth_changed()');
}
