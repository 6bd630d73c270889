// Unit tests of the client's external sign-in calls (providers, start URL, the return to the page): node --test clients/js/test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, FuncSessionsError } from '../funcsessions.js';
import { createFakeApi } from './fake-api.js';

/** The page's address bar: what `location` reads and `history.replaceState` writes, and where `assign` went. */
function addressBar(href) {
  const bar = {
    location: {
      get href() { return bar.href; },
      assign(url) { bar.assigned.push(url); },
    },
    history: {
      state: null,
      replaceState(state, title, url) { bar.href = new URL(url, bar.href).href; },
    },
    href,
    assigned: [],
  };
  return bar;
}

function openTab(t, { transport = 'cookie', href = 'https://app.test/account?tab=1#top' } = {}) {
  const api = createFakeApi({ transport });
  const browser = api.browser();
  const bar = addressBar(href);
  const tab = createClient({
    baseUrl: api.origin, transport, fetch: browser.fetch, locks: null, channel: null, document: browser.document,
    location: bar.location, history: bar.history,
  });
  t.after(() => tab.close());
  return { api, tab, bar };
}

test('externalProviders lists the API\'s providers', async (t) => {
  const { api, tab } = openTab(t);

  assert.deepEqual(await tab.externalProviders(), [{ name: 'local', displayName: 'Local OpenID provider', startUrl: '/api/auth/oauth/local/start' }]);
  assert.deepEqual(api.log, ['GET /api/auth/oauth/providers']);
});

test('externalSignInUrl starts at the API and returns to this page, without its fragment', (t) => {
  const { tab } = openTab(t);

  const url = new URL(tab.externalSignInUrl({ name: 'local' }));

  assert.equal(url.origin + url.pathname, 'https://api.test/api/auth/oauth/local/start');
  assert.equal(url.searchParams.get('returnTo'), 'https://app.test/account?tab=1');
  assert.equal(url.searchParams.has('link'), false);
});

test('externalSignInUrl takes a name, a returnTo and link, and leaves out what an earlier sign-in added', (t) => {
  const { tab } = openTab(t, { href: 'https://app.test/?error=access_denied&signin_code=old&x=1' });

  assert.equal(new URL(tab.externalSignInUrl('local')).searchParams.get('returnTo'), 'https://app.test/?x=1');
  const linking = new URL(tab.externalSignInUrl('my provider', { returnTo: 'https://app.test/settings', link: true }));
  assert.equal(linking.pathname, '/api/auth/oauth/my%20provider/start');
  assert.equal(linking.searchParams.get('returnTo'), 'https://app.test/settings');
  assert.equal(linking.searchParams.get('link'), 'true');
});

test('signInWithProvider navigates this tab to the start URL', (t) => {
  const { tab, bar } = openTab(t);

  tab.signInWithProvider({ name: 'local' });

  assert.deepEqual(bar.assigned, [tab.externalSignInUrl('local')]);
});

test('completeExternalSignIn on an ordinary load does nothing', async (t) => {
  const { api, tab, bar } = openTab(t);

  assert.equal(await tab.completeExternalSignIn(), null);
  assert.deepEqual(api.log, []);
  assert.equal(bar.href, 'https://app.test/account?tab=1#top');
});

test('bearer mode: the signin_code is taken out of the address bar and exchanged for the session', async (t) => {
  const { api, tab, bar } = openTab(t, { transport: 'bearer' });
  const changes = [];
  tab.onChange((session, { reason }) => changes.push([reason, session?.username]));
  bar.href = `https://app.test/account?tab=1&signin_code=${api.issueSignInCode('alice')}#top`;

  const session = await tab.completeExternalSignIn();

  assert.equal(bar.href, 'https://app.test/account?tab=1#top');
  assert.equal(session.username, 'alice');
  assert.equal(api.bodies[0].route, 'POST /api/auth/oauth/exchange');
  assert.deepEqual(changes, [['login', 'alice']]);
  assert.equal((await tab.validate()).sessionId, session.sessionId, 'the exchanged tokens are the ones the client now sends');
});

test('bearer mode: a used code is refused, and the address bar is cleaned all the same', async (t) => {
  const { api, tab, bar } = openTab(t, { transport: 'bearer' });
  const code = api.issueSignInCode('alice');
  bar.href = `https://app.test/?signin_code=${code}`;
  await tab.completeExternalSignIn();
  bar.href = `https://app.test/?signin_code=${code}`;

  await assert.rejects(tab.completeExternalSignIn(), (error) => error instanceof FuncSessionsError && error.code === 'invalid_signin_code');
  assert.equal(bar.href, 'https://app.test/');
});

test('bearer mode: an account with TOTP gets the code step after the exchange', async (t) => {
  const { api, tab, bar } = openTab(t, { transport: 'bearer' });
  api.enableTotp('alice');
  bar.href = `https://app.test/?signin_code=${api.issueSignInCode('alice')}`;

  const pending = await tab.completeExternalSignIn();

  assert.equal(pending.secondFactorRequired, true);
  assert.equal(tab.session, null);
  const session = await tab.completeSecondFactor({ code: '123456' });
  assert.equal(session.username, 'alice');
});

test('cookie mode: a signin_code is not exchanged (the cookies are set) but still removed', async (t) => {
  const { api, tab, bar } = openTab(t);
  bar.href = 'https://app.test/?signin_code=whatever';

  assert.equal(await tab.completeExternalSignIn(), null);
  assert.deepEqual(api.log, []);
  assert.equal(bar.href, 'https://app.test/');
});

test('an ?error= code is thrown as a FuncSessionsError and taken out of the address bar', async (t) => {
  const { tab, bar } = openTab(t);
  bar.href = 'https://app.test/account?error=access_denied&tab=1';

  await assert.rejects(tab.completeExternalSignIn(), (error) => error instanceof FuncSessionsError && error.code === 'access_denied' && error.status === 0);
  assert.equal(bar.href, 'https://app.test/account?tab=1');
});

test('cookie mode: ?error=second_factor_required is the code step, not a failure', async (t) => {
  const { tab, bar } = openTab(t);
  bar.href = 'https://app.test/?error=second_factor_required';

  assert.equal((await tab.completeExternalSignIn()).secondFactorRequired, true);
  assert.equal(bar.href, 'https://app.test/');
});
