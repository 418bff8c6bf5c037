import type { Knex } from 'knex';

// Admission control must count an event whose workflow has started but not yet planned its
// deliveries: under a burst that queue is where the cap leaked (only planned deliveries
// counted, so the dispatcher kept starting events while Temporal was still behind on planning).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.timestamp('planned_at', { useTz: true });
  });
  // Events planned before this column existed: started is as good as planned for them, and
  // the partial index below stays the size of the not-yet-planned queue.
  await knex.raw('UPDATE events SET planned_at = workflow_started_at WHERE workflow_started_at IS NOT NULL');
  await knex.raw(
    'CREATE INDEX events_started_unplanned ON events (workflow_started_at) WHERE planned_at IS NULL AND workflow_started_at IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX events_started_unplanned');
  await knex.schema.alterTable('events', (t) => {
    t.dropColumn('planned_at');
  });
}
