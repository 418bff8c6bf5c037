import type { Knex } from 'knex';

// When an API process leaves an event's workflow start to the dispatcher (admission closed, or
// too many starts in flight), it says so: such an event needs no grace against a start in
// flight, and while it waits, newer events queue behind it instead of overtaking it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.timestamp('queued_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.dropColumn('queued_at');
  });
}
