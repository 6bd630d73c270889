// Unit tests of the client's email calls (verification, password reset, email change): node --test clients/js/test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, FuncSessionsError } from '../funcsessions.js';
import { createFakeApi } from './fake-api.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a different long passphrase';

function openTab(t) {
  const api = createFakeApi();
  const browser = api.browser();
  const tab = createClient({ baseUrl: api.origin, fetch: browser.fetch, locks: null, channel: null, document: browser.document });
  t.after(() => tab.close());
  return { api, tab };
}

const last = (api) => api.bodies.at(-1);

test('registerWithEmail and loginWithEmail send the address, not a user name', async (t) => {
  const { api, tab } = openTab(t);

  assert.deepEqual(await tab.registerWithEmail('alice@example.com', PASSWORD), { status: 202 });
  assert.deepEqual(last(api), { route: 'POST /api/auth/register', body: { email: 'alice@example.com', password: PASSWORD } });
  const session = await tab.loginWithEmail('alice@example.com', PASSWORD);

  assert.deepEqual(last(api), { route: 'POST /api/auth/login', body: { email: 'alice@example.com', password: PASSWORD } });
  assert.equal(session.username, 'alice@example.com');
  assert.equal(tab.session?.sessionId, session.sessionId);
});

test('requestPasswordReset and requestEmailVerification post the address and resolve to the 202', async (t) => {
  const { api, tab } = openTab(t);

  assert.deepEqual(await tab.requestPasswordReset('alice@example.com'), { status: 202 });
  assert.deepEqual(last(api), { route: 'POST /api/auth/password/reset/request', body: { email: 'alice@example.com' } });
  assert.deepEqual(await tab.requestEmailVerification('bob@example.com'), { status: 202 });
  assert.deepEqual(last(api), { route: 'POST /api/auth/email/verify/request', body: { email: 'bob@example.com' } });
});

test('resetPassword posts the token and the new password, and signs a signed-in tab out', async (t) => {
  const { api, tab } = openTab(t);
  await tab.login('alice', PASSWORD);
  const changes = [];
  tab.onChange((session, event) => changes.push([session, event.reason]));

  await tab.resetPassword(api.linkToken, NEW_PASSWORD);

  assert.deepEqual(last(api), { route: 'POST /api/auth/password/reset', body: { token: api.linkToken, newPassword: NEW_PASSWORD } });
  assert.equal(tab.session, null);
  assert.deepEqual(changes, [[null, 'revoked']]);
});

test('resetPassword without a session changes nothing locally', async (t) => {
  const { api, tab } = openTab(t);
  const changes = [];
  tab.onChange(() => changes.push('changed'));

  await tab.resetPassword(api.linkToken, NEW_PASSWORD);

  assert.equal(tab.session, null);
  assert.deepEqual(changes, []);
});

test('a refused link is a FuncSessionsError with the API code, and the session stays', async (t) => {
  const { tab } = openTab(t);
  await tab.login('alice', PASSWORD);

  for (const call of [() => tab.resetPassword('wrong', NEW_PASSWORD), () => tab.verifyEmail('wrong'), () => tab.confirmEmailChange('wrong')]) {
    await assert.rejects(call(), (error) => error instanceof FuncSessionsError && error.status === 400 && error.code === 'invalid_link');
  }

  assert.notEqual(tab.session, null);
});

test('verifyEmail and confirmEmailChange post the token from the link', async (t) => {
  const { api, tab } = openTab(t);

  await tab.verifyEmail(api.linkToken);
  assert.deepEqual(last(api), { route: 'POST /api/auth/email/verify', body: { token: api.linkToken } });
  await tab.confirmEmailChange(api.linkToken);
  assert.deepEqual(last(api), { route: 'POST /api/auth/email/change/confirm', body: { token: api.linkToken } });
});

test('changeEmail is an authenticated call with the new address', async (t) => {
  const { api, tab } = openTab(t);
  await assert.rejects(tab.changeEmail('new@example.com'), (error) => error.status === 401);

  await tab.login('alice', PASSWORD);
  assert.deepEqual(await tab.changeEmail('new@example.com'), { status: 202 });

  assert.deepEqual(last(api), { route: 'POST /api/auth/email/change', body: { newEmail: 'new@example.com' } });
});
