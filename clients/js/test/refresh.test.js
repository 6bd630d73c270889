// Unit tests of the client's refresh logic: node --test clients/js/test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createClient, FuncSessionsError } from '../funcsessions.js';
import { createFakeApi, createLockManager } from './fake-api.js';

const PASSWORD = 'correct horse battery staple';

/** `count` tabs of one browser: one cookie jar, one lock manager (or none), one BroadcastChannel name. */
function openTabs(t, count, { transport = 'cookie', webLocks = true } = {}) {
  const api = createFakeApi({ transport });
  const browser = api.browser();
  const locks = webLocks ? createLockManager() : null;
  const channelName = `funcsessions-test-${Math.random()}`;
  const tabs = Array.from({ length: count }, () => createClient({
    baseUrl: api.origin,
    transport,
    fetch: browser.fetch,
    locks,
    channel: new BroadcastChannel(channelName),
    document: browser.document,
  }));
  t.after(() => tabs.forEach((tab) => tab.close()));
  return { api, browser, tabs };
}

/** Lets queued BroadcastChannel messages and responses be delivered until `condition` holds. */
async function until(condition) {
  for (let turn = 0; turn < 1000 && !condition(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }

  assert.ok(condition(), 'condition never held');
}

async function signedInEverywhere(tabs) {
  await tabs[0].login('alice', PASSWORD);
  await until(() => tabs.every((tab) => tab.session?.username === 'alice'));
}

test('a 401 refreshes once, then the request is retried once', async (t) => {
  const { api, tabs: [tab] } = openTabs(t, 1);
  await tab.login('alice', PASSWORD);
  api.expireAccessTokens();

  const response = await tab.fetch(`${api.origin}/data`);

  assert.equal(response.status, 200);
  assert.equal(api.counters.rotations, 1);
  assert.deepEqual(api.log.filter((entry) => entry === 'GET /data'), ['GET /data', 'GET /data']);
});

test('concurrent requests in one tab share one refresh', async (t) => {
  const { api, tabs: [tab] } = openTabs(t, 1);
  await tab.login('alice', PASSWORD);
  api.expireAccessTokens();

  const responses = await Promise.all(Array.from({ length: 5 }, () => tab.fetch(`${api.origin}/data`)));

  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200]);
  assert.equal(api.counters.refreshCalls, 1);
  assert.equal(api.counters.rotations, 1);
});

test('tabs whose access tokens expire together spend the refresh token once (Web Locks)', async (t) => {
  const { api, tabs } = openTabs(t, 4);
  await signedInEverywhere(tabs);
  api.expireAccessTokens();

  const responses = await Promise.all(tabs.map((tab) => tab.fetch(`${api.origin}/data`)));

  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200]);
  assert.equal(api.counters.refreshCalls, 1);
  assert.equal(api.counters.rotations, 1);
  assert.ok(tabs.every((tab) => tab.session?.username === 'alice'));
});

test('without Web Locks a tab waits for the refresh another tab announced', async (t) => {
  const { api, tabs: [first, second] } = openTabs(t, 2, { webLocks: false });
  await signedInEverywhere([first, second]);
  api.expireAccessTokens();
  const release = api.holdRefreshes();

  const firstResponse = first.fetch(`${api.origin}/data`);
  await until(() => api.counters.refreshCalls === 1);
  const secondResponse = second.fetch(`${api.origin}/data`);
  await until(() => api.log.filter((entry) => entry === 'GET /data').length === 2);
  release();

  assert.equal((await firstResponse).status, 200);
  assert.equal((await secondResponse).status, 200);
  assert.equal(api.counters.refreshCalls, 1);
  assert.equal(api.counters.rotations, 1);
});

test('without Web Locks, tabs refreshing in the same instant still cause one rotation and stay signed in', async (t) => {
  const { api, tabs } = openTabs(t, 3, { webLocks: false });
  await signedInEverywhere(tabs);
  api.expireAccessTokens();

  const responses = await Promise.all(tabs.map((tab) => tab.fetch(`${api.origin}/data`)));

  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
  assert.equal(api.counters.rotations, 1);
  assert.ok(tabs.every((tab) => tab.session !== null));
});

test('bearer mode: a new tab takes the tokens over from an open tab, and expiring tabs rotate once', async (t) => {
  const { api, tabs: [first, second] } = openTabs(t, 2, { transport: 'bearer' });
  await first.login('alice', PASSWORD);

  assert.equal((await second.restore()).username, 'alice');
  api.expireAccessTokens();
  const responses = await Promise.all([first.fetch(`${api.origin}/data`), second.fetch(`${api.origin}/data`)]);

  assert.deepEqual(responses.map((r) => r.status), [200, 200]);
  assert.equal(api.counters.rotations, 1);
  // Note: a tab granted the lock before the other tab's message arrived presents the just-spent token and gets the
  // same successor within the API's grace window; either way both tabs now hold the one current token.
  assert.equal(api.counters.refreshCalls, 1 + api.counters.graceJoins);
});

test('bearer mode: with no other tab open there is nothing to restore (tokens are kept in memory only)', async (t) => {
  const { api, tabs: [tab] } = openTabs(t, 1, { transport: 'bearer' });

  assert.equal(await tab.restore({ waitMs: 20 }), null);
  assert.equal(await tab.refresh(), false);
  assert.deepEqual(api.log, []);
});

test('cookie mode: a visitor without the presence hint is told "no session" by validate and never sends refresh', async (t) => {
  const { api, tabs: [tab] } = openTabs(t, 1);

  assert.equal(await tab.restore(), null);
  assert.equal(await tab.refresh(), false);
  const response = await tab.fetch(`${api.origin}/data`);

  assert.equal(response.status, 401);
  assert.equal(api.counters.refreshCalls, 0);
  assert.deepEqual(api.log, ['GET /api/auth/validate', 'GET /data']);
});

test('cookie mode: the hint follows the session, so after logout a 401 costs no refresh', async (t) => {
  const { api, browser, tabs: [tab] } = openTabs(t, 1);
  await tab.login('alice', PASSWORD);
  assert.equal(browser.document.cookie, '__Host-fs-present=1');
  api.expireAccessTokens();
  assert.equal((await tab.validate()).username, 'alice');
  assert.equal(api.counters.refreshCalls, 1);

  await tab.logout();

  assert.equal(browser.document.cookie, '');
  assert.equal(await tab.validate(), null);
  assert.equal(api.counters.refreshCalls, 1);
});

test('cookie mode: where the hint cannot be seen (the API on another host) the client still asks the API', async (t) => {
  const api = createFakeApi();
  const browser = api.browser();
  const tab = createClient({ baseUrl: api.origin, fetch: browser.fetch, locks: createLockManager(), channel: null, document: null });
  t.after(() => tab.close());

  assert.equal(await tab.restore(), null);

  assert.equal(api.counters.refreshCalls, 1);
});

test('bearer mode: the access token goes to the API and trustedOrigins only, and foreign 401s cause no refresh', async (t) => {
  const api = createFakeApi({ transport: 'bearer' });
  const browser = api.browser();
  const sent = [];
  const fetch = (input, init) => {
    sent.push({ url: String(input), authorization: new Headers(init.headers).get('Authorization') });
    return browser.fetch(input, init);
  };
  const tab = createClient({ baseUrl: api.origin, transport: 'bearer', fetch, locks: null, channel: null, trustedOrigins: ['https://mine.test'] });
  t.after(() => tab.close());
  await tab.login('alice', PASSWORD);

  await tab.fetch(`${api.origin}/data`);
  await tab.fetch('https://mine.test/data');
  await tab.fetch('https://elsewhere.test/data');

  assert.match(sent.at(-3).authorization, /^Bearer at-/);
  assert.match(sent.at(-2).authorization, /^Bearer at-/);
  assert.equal(sent.at(-1).authorization, null);
  assert.equal(api.counters.refreshCalls, 0);
});

test('a failed refresh signs every tab out', async (t) => {
  const { api, tabs: [first, second] } = openTabs(t, 2);
  await signedInEverywhere([first, second]);
  const heard = [];
  second.onChange((session, event) => heard.push({ session, ...event }));
  api.revokeAll();
  api.expireAccessTokens();

  assert.equal(await first.validate(), null);

  await until(() => heard.length === 1);
  assert.deepEqual(heard, [{ session: null, reason: 'expired', fromOtherTab: true }]);
});

test('logout in one tab: the other tab is signed out and does not try to refresh', async (t) => {
  const { api, tabs: [first, second] } = openTabs(t, 2);
  await signedInEverywhere([first, second]);

  await first.logout();
  await until(() => second.session === null);

  assert.equal(await second.validate(), null);
  assert.equal(api.counters.refreshCalls, 0);
});

test('a request sent before another tab refreshed is retried without a second refresh', async (t) => {
  const { api, tabs: [first, second] } = openTabs(t, 2);
  await signedInEverywhere([first, second]);
  api.expireAccessTokens();
  assert.equal(await first.refresh(), true);
  await until(() => api.counters.rotations === 1);

  // The second tab heard about the refresh, so a 401 for an old request is answered by a plain retry.
  const response = await second.fetch(`${api.origin}/data`);

  assert.equal(response.status, 200);
  assert.equal(api.counters.refreshCalls, 1);
});

test('X-Revalidate-Session re-reads the session and tells the other tabs', async (t) => {
  const { api, tabs: [first, second] } = openTabs(t, 2);
  await signedInEverywhere([first, second]);
  const before = await first.validate();

  await first.fetch(`${api.origin}/data?change`);

  await until(() => second.session?.data === before.data + 1);
  assert.equal(first.session.data, before.data + 1);
});

test('a request that still gets 401 after the retry is returned, not retried again', async (t) => {
  const { api, tabs: [tab] } = openTabs(t, 1);
  await tab.login('alice', PASSWORD);
  api.revokeAll();

  const response = await tab.fetch(`${api.origin}/data`);

  assert.equal(response.status, 401);
  assert.equal(api.log.filter((entry) => entry === 'GET /data').length, 1);
  assert.equal(api.counters.refreshCalls, 1);
  assert.equal(tab.session, null);
});

test('problems surface as FuncSessionsError with the API code; register accepts 202', async (t) => {
  const { tabs: [tab] } = openTabs(t, 1);

  assert.deepEqual(await tab.register('alice', PASSWORD), { status: 202 });
  await assert.rejects(tab.login('alice', 'wrong password entirely'), (error) =>
    error instanceof FuncSessionsError && error.code === 'invalid_credentials' && error.status === 401);
});

test('the sample page ships the current client', async () => {
  const client = await readFile(new URL('../funcsessions.js', import.meta.url), 'utf8');
  const copy = await readFile(new URL('../../../samples/static-site/funcsessions.js', import.meta.url), 'utf8');

  assert.equal(copy, client, 'copy clients/js/funcsessions.js to samples/static-site/');
});
