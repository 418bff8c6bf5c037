import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeError } from '../../lib/logger';

test('logger: a PostgreSQL error keeps its SQLSTATE and constraint, never the SQL or values', () => {
  // The shape pg + knex produce: the message starts with the statement and its bindings.
  const err = Object.assign(
    new Error('insert into "customers" ("email") values ($1) - duplicate key value violates unique constraint'),
    { severity: 'ERROR', code: '23505', constraint: 'customers_email_unique', detail: 'Key (email)=(a@b.c)' },
  );
  const out = serializeError(err);
  assert.deepEqual(out, {
    type: 'DatabaseError',
    message: 'database error 23505',
    code: '23505',
    constraint: 'customers_email_unique',
  });
  assert.doesNotMatch(JSON.stringify(out), /insert|a@b\.c/);
});

test('logger: other errors keep type, message and code, and never a stack', () => {
  const err = Object.assign(new TypeError('boom'), { code: 'ERR_X' });
  const out = serializeError(err);
  assert.deepEqual(out, { type: 'TypeError', message: 'boom', code: 'ERR_X' });
  assert.equal(serializeError('plain').message, 'plain');
});
