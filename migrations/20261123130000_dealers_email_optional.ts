import type { Knex } from 'knex';

// `wth dealer create` may create a dealer without an email (an operator sets one up before the
// dealer has a login); such a dealer simply cannot sign in to the dashboard yet.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dealers', (t) => {
    t.text('email').nullable().alter();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dealers', (t) => {
    t.text('email').notNullable().alter();
  });
}
