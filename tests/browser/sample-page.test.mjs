// The sample page and the JS client in a real Chromium against the real self-host and Azurite.
// Run through scripts/browser-tests.sh, which starts both and sets the environment read here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const BASE = required('FUNCSESSIONS_URL');
const BEARER_BASE = required('FUNCSESSIONS_BEARER_URL');
const SERVER_LOG = required('FUNCSESSIONS_SERVER_LOG');
const MAILDEV = required('FUNCSESSIONS_MAILDEV_URL');
const ARTIFACTS = required('FUNCSESSIONS_ARTIFACTS');
const OIDC_PORT = required('FUNCSESSIONS_OIDC_PORT');
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a different horse, battery and staple';
const SIGNED_REFRESH = 2002;
const REFRESH_RACE_JOINED = 2003;
const REFRESH_REUSE_DETECTED = 2004;

let browser;
let shot = 0;
let oidcProvider;

before(async () => {
  // Note: playwright-core gives every launch a fresh temporary --user-data-dir; the flags keep Chromium off the
  // network (no updates, sync or QUIC probes), without which it stalls on a closed network.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  oidcProvider?.kill();
});

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with scripts/browser-tests.sh`);
  }

  return value;
}

async function newContext(t) {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  t.after(() => context.close());
  return context;
}

async function openPage(context, base = BASE) {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(base);
  await page.locator('#status', { hasText: /^Signed (in|out)/ }).waitFor();
  return page;
}

async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

function statusOf(page) {
  return page.locator('#status').textContent();
}

async function waitForStatus(page, pattern) {
  await page.locator('#status', { hasText: pattern }).waitFor();
}

async function newUser(base = BASE) {
  const username = `u${randomUUID().slice(0, 8)}`;
  const response = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.ok(response.status === 201 || response.status === 202, `register answered ${response.status}`);
  return username;
}

/** The link to `action` in the newest mail MailDev (the real SMTP server the self-host sends to) caught for `email`. */
async function linkFromMail(email, action) {
  const pattern = new RegExp(`https?://\\S+#action=${action}&token=[A-Za-z0-9_.-]+`);
  for (let attempt = 0; attempt < 120; attempt++) {
    const mails = await (await fetch(`${MAILDEV}/api/email`)).json();
    const mail = mails.filter((m) => m.envelope.to.some((to) => to.address === email) && pattern.test(m.text)).at(-1);
    if (mail) {
      return pattern.exec(mail.text)[0];
    }

    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  throw new Error(`No ${action} mail for ${email} in MailDev`);
}

async function logIn(page, username) {
  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.click('#login-form button[value=login]');
  await waitForStatus(page, `Signed in as ${username}`);
}

async function whoAmI(page) {
  await page.evaluate(() => { document.getElementById('whoami-result').textContent = ''; });
  await page.click('#whoami');
  await page.locator('#whoami-result:not(:empty)').waitFor();
  return page.locator('#whoami-result').textContent();
}

/** The server's log entries written while `step` ran (a marker request afterwards flushes the log queue). */
async function serverEventsDuring(step) {
  const start = readServerLog().length;
  await step();
  const marker = randomUUID();
  await fetch(`${BASE}/api/auth/jwks?marker=${marker}`);
  for (let attempt = 0; attempt < 200; attempt++) {
    const entries = readServerLog();
    if (entries.some((entry) => JSON.stringify(entry.State ?? {}).includes(marker))) {
      return entries.slice(start);
    }

    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  throw new Error('The marker request never reached the server log');
}

function readServerLog() {
  // Note: the server may be mid-line; only lines already ended by a newline are complete.
  const lines = readFileSync(SERVER_LOG, 'utf8').split('\n').slice(0, -1);
  return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

const countEvents = (entries, id) => entries.filter((entry) => entry.EventId === id).length;
const refreshRequests = (entries) =>
  entries.filter((entry) => entry.State?.Method === 'POST' && entry.State?.Path === '/api/auth/refresh' && /^Request starting/.test(entry.Message)).length;

test('sign up and log in through the page', async (t) => {
  const page = await openPage(await newContext(t));
  const username = `u${randomUUID().slice(0, 8)}`;
  assert.equal(await statusOf(page), 'Signed out');
  await screenshot(page, 'signed-out');

  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.click('#login-form button[value=register]');

  await waitForStatus(page, `Signed in as ${username}`);
  assert.equal(JSON.parse(await whoAmI(page)).username, username);
  await page.locator('#sessions li').first().waitFor();
  await screenshot(page, 'signed-up-and-logged-in');
});

test('a first-time visitor sees a neutral signed-out state, not the session-ended banner', async (t) => {
  const page = await openPage(await newContext(t));

  assert.equal(await statusOf(page), 'Signed out');
  assert.equal(await page.locator('#message').isHidden(), true, `a first visit shows: ${await page.locator('#message').textContent()}`);
  assert.equal(await page.locator('#signed-out').isVisible(), true);
  assert.equal(await whoAmI(page), 'Not signed in.');
  assert.equal(await page.locator('#message').isHidden(), true, 'asking who am I while signed out shows a banner');
  await screenshot(page, 'first-visit');
});

test('a wrong password shows the invalid_credentials message', async (t) => {
  const page = await openPage(await newContext(t));
  const username = await newUser();

  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', 'not the right password at all');
  await page.click('#login-form button[value=login]');

  await page.locator('#message', { hasText: 'Wrong username or password.' }).waitFor();
  assert.equal(await statusOf(page), 'Signed out');
  await screenshot(page, 'wrong-password');
});

test('reload keeps the session, and document.cookie shows no token', async (t) => {
  const context = await newContext(t);
  const page = await openPage(context);
  const username = await newUser();
  await logIn(page, username);
  const sessionId = JSON.parse(await whoAmI(page)).sessionId;

  await page.reload();
  await waitForStatus(page, `Signed in as ${username}`);
  assert.equal(JSON.parse(await whoAmI(page)).sessionId, sessionId);
  await screenshot(page, 'after-reload');

  const cookies = await context.cookies();
  // Note: __Host-fs-present is the client's non-secret presence hint ("1"), readable on purpose; the tokens are not.
  assert.deepEqual(cookies.filter((cookie) => cookie.name.startsWith('__Host-fs-')).map((cookie) => [cookie.name, cookie.httpOnly]).sort(),
    [['__Host-fs-at', true], ['__Host-fs-present', false], ['__Host-fs-rt', true]]);
  const tokens = cookies.filter((cookie) => cookie.name === '__Host-fs-at' || cookie.name === '__Host-fs-rt');
  const visible = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    page: document.documentElement.outerHTML,
  }));
  assert.equal(visible.cookie, '__Host-fs-present=1');
  for (const token of tokens) {
    for (const [place, text] of Object.entries(visible)) {
      assert.ok(!text.includes(token.value), `the ${token.name} value is readable in ${place}`);
    }
  }
});

test('two tabs whose access tokens expire together refresh once and stay signed in', async (t) => {
  const context = await newContext(t);
  const first = await openPage(context);
  const username = await newUser();
  await logIn(first, username);
  const second = await openPage(context);
  await waitForStatus(second, `Signed in as ${username}`);
  const refreshTokenBefore = (await context.cookies()).find((cookie) => cookie.name === '__Host-fs-rt').value;

  // Expiry without waiting: the browser stops sending the access token, so both tabs get 401 as with an expired one.
  await context.clearCookies({ name: '__Host-fs-at' });
  // Note: a refresh request is held in the browser until both tabs have had their 401, so the two tabs really race.
  const [firstRejected, secondRejected] = [first, second].map((page) => new Promise((resolve) => {
    page.on('response', (response) => response.url().endsWith('/api/auth/validate') && response.status() === 401 && resolve());
  }));
  await context.route('**/api/auth/refresh', async (route) => {
    await Promise.all([firstRejected, secondRejected]);
    await route.continue();
  });
  const events = await serverEventsDuring(async () => {
    const [a, b] = await Promise.all([whoAmI(first), whoAmI(second)]);
    assert.equal(JSON.parse(a).username, username);
    assert.equal(JSON.parse(b).username, username);
  });

  assert.equal(countEvents(events, SIGNED_REFRESH), 1, 'the server rotated the refresh token once');
  assert.equal(refreshRequests(events), 1, 'one POST /refresh reached the server');
  assert.equal(countEvents(events, REFRESH_RACE_JOINED), 0);
  assert.equal(countEvents(events, REFRESH_REUSE_DETECTED), 0);
  assert.notEqual((await context.cookies()).find((cookie) => cookie.name === '__Host-fs-rt').value, refreshTokenBefore);
  assert.equal(await statusOf(first), `Signed in as ${username}`);
  assert.equal(await statusOf(second), `Signed in as ${username}`);
  await screenshot(first, 'two-tabs-refreshed-tab-1');
  await screenshot(second, 'two-tabs-refreshed-tab-2');
});

test('logout in one tab: the other tab shows logged out on its next call', async (t) => {
  const context = await newContext(t);
  const first = await openPage(context);
  const username = await newUser();
  await logIn(first, username);
  const second = await openPage(context);
  await waitForStatus(second, `Signed in as ${username}`);

  await first.click('#logout');
  await waitForStatus(first, 'Signed out');
  await screenshot(first, 'logout-tab-1');

  assert.equal(await whoAmI(second), 'Not signed in.');
  assert.equal(await statusOf(second), 'Signed out');
  await screenshot(second, 'logout-seen-in-tab-2');
  assert.deepEqual((await context.cookies()).filter((cookie) => cookie.name.startsWith('__Host-fs-')), []);
});

test('revoking a session from a second browser logs the first one out', async (t) => {
  const username = await newUser();
  const laptop = await openPage(await newContext(t));
  await logIn(laptop, username);
  const laptopSession = JSON.parse(await whoAmI(laptop)).sessionId;
  const phone = await openPage(await newContext(t));
  await logIn(phone, username);
  await phone.locator('#sessions li').nth(1).waitFor();
  assert.equal(JSON.parse(await whoAmI(phone)).username, username);
  await screenshot(phone, 'second-browser-sessions');

  await phone.click(`#sessions button[data-session-id="${laptopSession}"]`);
  await phone.locator('#sessions li').nth(1).waitFor({ state: 'detached' });
  await screenshot(phone, 'second-browser-revoked-first');

  assert.equal(await whoAmI(laptop), 'Not signed in.');
  assert.equal(await statusOf(laptop), 'Signed out');
  await laptop.locator('#message', { hasText: 'Your session has ended' }).waitFor();
  await screenshot(laptop, 'first-browser-logged-out');
  assert.equal(await statusOf(phone), `Signed in as ${username}`);
});

test('bearer mode: tokens live in memory only, open tabs share them, logout reaches the other tab', async (t) => {
  const context = await newContext(t);
  // The page's config.js as a cross-site deployment would have it (the API here is the bearer-mode self-host).
  await context.route('**/config.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: "export default { apiBase: '', transport: 'bearer', protectedApiBase: 'http://localhost:7072' };",
  }));
  const username = await newUser(BEARER_BASE);
  const first = await openPage(context, BEARER_BASE);
  const loginResponse = first.waitForResponse('**/api/auth/login');
  await logIn(first, username);
  const { accessToken, refreshToken } = await (await loginResponse).json();
  assert.ok(accessToken && refreshToken, 'bearer mode returns the tokens in the body');

  const visible = await first.evaluate(async () => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    indexedDb: JSON.stringify(await indexedDB.databases()),
    page: document.documentElement.outerHTML,
  }));
  for (const [place, text] of Object.entries(visible)) {
    assert.ok(!text.includes(accessToken) && !text.includes(refreshToken), `a token is stored in ${place}`);
  }
  assert.deepEqual((await context.cookies()).filter((cookie) => cookie.name.startsWith('__Host-fs-')), []);

  // Reloading the only tab loses the in-memory tokens: logging in again is the documented price.
  await first.reload();
  await waitForStatus(first, 'Signed out');
  await logIn(first, username);

  const second = await openPage(context, BEARER_BASE);
  await waitForStatus(second, `Signed in as ${username}`);
  assert.equal(JSON.parse(await whoAmI(second)).username, username);
  await first.reload();
  await waitForStatus(first, `Signed in as ${username}`);
  await screenshot(first, 'bearer-tab-restored-from-other-tab');

  await second.click('#logout');
  await waitForStatus(second, 'Signed out');
  assert.equal(await whoAmI(first), 'Not signed in.');
  assert.equal(await statusOf(first), 'Signed out');
  await screenshot(first, 'bearer-logout-seen-in-other-tab');
});

test('a password change continues in a new session and ends the others; logout everywhere ends them all', async (t) => {
  const username = await newUser();
  const laptop = await openPage(await newContext(t));
  await logIn(laptop, username);
  const phone = await openPage(await newContext(t));
  await logIn(phone, username);
  const before = JSON.parse(await whoAmI(phone)).sessionId;

  await phone.fill('#password-form [name=currentPassword]', PASSWORD);
  await phone.fill('#password-form [name=newPassword]', NEW_PASSWORD);
  await phone.click('#password-form button[type=submit]');
  await phone.locator('#message', { hasText: 'Password changed.' }).waitFor();
  await screenshot(phone, 'password-changed');

  assert.notEqual(JSON.parse(await whoAmI(phone)).sessionId, before);
  assert.equal(await whoAmI(laptop), 'Not signed in.');
  await laptop.fill('#login-form [name=username]', username);
  await laptop.fill('#login-form [name=password]', NEW_PASSWORD);
  await laptop.click('#login-form button[value=login]');
  await waitForStatus(laptop, `Signed in as ${username}`);

  await phone.click('#logout-all');
  await waitForStatus(phone, 'Signed out');
  assert.equal(await whoAmI(laptop), 'Not signed in.');
  await screenshot(laptop, 'logged-out-everywhere');
});

test('reauthentication_required: the page asks for the password, logs in again and retries the revoke', async (t) => {
  const username = await newUser();
  const laptop = await openPage(await newContext(t));
  await logIn(laptop, username);
  const laptopSession = JSON.parse(await whoAmI(laptop)).sessionId;
  const phoneContext = await newContext(t);
  const phone = await openPage(phoneContext);
  await logIn(phone, username);
  const phoneSession = JSON.parse(await whoAmI(phone)).sessionId;
  // Note: the first revoke answers as the API does for a login older than ReauthenticationWindow (at least a minute,
  // too long to wait for here); everything after it, the new login included, is the real API.
  let refused = 0;
  await phoneContext.route(`**/api/auth/sessions/${laptopSession}`, (route) => (refused++ === 0
    ? route.fulfill({
      status: 403,
      contentType: 'application/problem+json',
      body: JSON.stringify({ status: 403, title: 'Recent authentication required.', code: 'reauthentication_required' }),
    })
    : route.continue()));
  await phone.locator('#sessions li').nth(1).waitFor();

  await phone.click(`#sessions button[data-session-id="${laptopSession}"]`);
  await phone.locator('#reauth[open]').waitFor();
  await screenshot(phone, 'reauthentication-prompt');
  await phone.fill('#reauth [name=password]', PASSWORD);
  await phone.click('#reauth button[value=confirm]');

  await phone.locator('#sessions li').nth(1).waitFor({ state: 'detached' });
  assert.equal(refused, 2);
  const renewed = JSON.parse(await whoAmI(phone)).sessionId;
  assert.notEqual(renewed, phoneSession, 'the page logged in again');
  assert.equal(await phone.locator('#sessions li button').getAttribute('data-session-id'), renewed, 'the replaced session was revoked');
  assert.equal(await whoAmI(laptop), 'Not signed in.');
});

test('forgot password: the link in the mail opens the reset page, which sets a new password to log in with', async (t) => {
  const email = `reset.${randomUUID().slice(0, 8)}@example.com`;
  const registered = await fetch(`${BASE}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(registered.status, 202);
  const context = await newContext(t);

  // The verification link completes on the page, which takes the token out of the address bar.
  const verifying = await openPage(context, await linkFromMail(email, 'verify-email'));
  await verifying.locator('#message', { hasText: 'email address is confirmed' }).waitFor();
  assert.equal(new URL(verifying.url()).hash, '');

  await verifying.click('#forgot summary');
  await verifying.fill('#forgot-form [name=email]', email);
  await verifying.click('#forgot-form button[value=reset]');
  await verifying.locator('#message', { hasText: 'a link is on its way' }).waitFor();

  // Opened as a mail client would: a fresh page on the link.
  const page = await openPage(context, await linkFromMail(email, 'reset-password'));
  await page.locator('#reset').waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).hash, '', 'the token stays in the address bar');
  await screenshot(page, 'reset-password');
  await page.fill('#reset-form [name=newPassword]', NEW_PASSWORD);
  await page.click('#reset-form button');
  await page.locator('#message', { hasText: 'Password changed' }).waitFor();
  assert.equal(await page.locator('#reset').isVisible(), false);

  await page.fill('#login-form [name=username]', email);
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.click('#login-form button[value=login]');
  await page.locator('#message', { hasText: 'Wrong username or password' }).waitFor();
  await page.fill('#login-form [name=password]', NEW_PASSWORD);
  await page.click('#login-form button[value=login]');
  await waitForStatus(page, `Signed in as ${email}`);
});

// Passkeys and second factors (issue 16).

/** Chromium's virtual authenticator on this page's DevTools session: a platform passkey with user verification. */
async function addVirtualAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

/** RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) from the base32 key the page shows, `steps` periods from now. */
function totp(base32Secret, steps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Secret.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }

  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + steps));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0xf;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function signUp(page) {
  const username = `u${randomUUID().slice(0, 8)}`;
  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.click('#login-form button[value=register]');
  await waitForStatus(page, `Signed in as ${username}`);
  return username;
}

async function logOut(page) {
  await page.click('#logout');
  await waitForStatus(page, 'Signed out');
}

test('passkey: sign up, add a passkey, sign out, sign in with only the passkey, delete it', async (t) => {
  const context = await newContext(t);
  const page = await openPage(context);
  const authenticator = await addVirtualAuthenticator(context, page);
  const username = await signUp(page);

  await page.fill('#passkey-form [name=name]', 'Test laptop');
  await page.click('#passkey-form button[type=submit]');
  await page.locator('#passkeys li', { hasText: 'Test laptop' }).waitFor();
  const [credential] = await authenticator.credentials();
  assert.equal(credential.isResidentCredential, true, 'a discoverable credential, so sign-in needs no user name');
  await screenshot(page, 'passkey-added');

  await logOut(page);
  await page.click('#passkey-login');
  await waitForStatus(page, `Signed in as ${username}`);
  assert.equal(await page.locator('#login-form [name=password]').inputValue(), '', 'no password was typed');
  const session = JSON.parse(await whoAmI(page));
  assert.equal(session.username, username);
  assert.ok(session.amr.includes('mfa'), `a passkey with user verification is both factors: amr ${session.amr}`);
  await page.locator('#passkeys li', { hasText: /last used/ }).waitFor();
  await screenshot(page, 'signed-in-with-passkey');

  await page.click(`#passkeys button[data-passkey-id="${credential.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}"]`);
  await page.locator('#passkeys li').waitFor({ state: 'detached' });

  // The authenticator still holds the key, but the server no longer knows it.
  await logOut(page);
  await page.click('#passkey-login');
  await page.locator('#message', { hasText: 'The passkey was not accepted.' }).waitFor();
  assert.equal(await statusOf(page), 'Signed out');
});

test('totp: enrol from the QR page, sign in with password and code, then with a recovery code', async (t) => {
  const context = await newContext(t);
  const page = await openPage(context);
  const username = await signUp(page);

  await page.click('#totp-enrol');
  await page.locator('#totp-confirm-form:not([hidden])').waitFor();
  assert.match(await page.locator('#totp-qr').getAttribute('src'), /^data:image\/png;base64,/);
  assert.ok(await page.locator('#totp-qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code is shown');
  const secret = await page.locator('#totp-secret').textContent();
  await screenshot(page, 'totp-enrol');
  await page.fill('#totp-confirm-form [name=code]', totp(secret));
  await page.click('#totp-confirm-form button[type=submit]');
  await page.locator('#recovery-codes:not([hidden])').waitFor();
  const recoveryCodes = await page.locator('#recovery-code-list li').allTextContents();
  assert.equal(recoveryCodes.length, 10);
  await page.locator('#totp-status', { hasText: /^On\./ }).waitFor();

  await logOut(page);
  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.click('#login-form button[value=login]');
  await page.locator('#second-factor-form:not([hidden])').waitFor();
  assert.equal(await statusOf(page), 'Signed out', 'a correct password alone is not a session');
  await screenshot(page, 'second-factor-step');
  // Note: the enrolment spent this period's code (replays are refused); the window accepts the next period's.
  await page.fill('#second-factor-form [name=code]', totp(secret, 1));
  await page.click('#second-factor-form button[value=code]');
  await waitForStatus(page, `Signed in as ${username}`);

  await logOut(page);
  await page.fill('#login-form [name=username]', username);
  await page.fill('#login-form [name=password]', PASSWORD);
  await page.click('#login-form button[value=login]');
  await page.fill('#second-factor-form [name=code]', recoveryCodes[0]);
  await page.click('#second-factor-form button[value=recovery]');
  await waitForStatus(page, `Signed in as ${username}`);
  await page.locator('#totp-status', { hasText: '9 recovery codes left' }).waitFor();
  await screenshot(page, 'signed-in-with-recovery-code');
});

// External sign-in (issue 17).

/**
 * The local OpenID provider (tests/oidc-provider), started once on the port both self-hosts were configured with, with
 * their callbacks as redirect URIs (the issuer is each self-host's URL + /api, so that is where the callback is).
 */
let oidcIssuer;
async function localProvider() {
  if (oidcIssuer) {
    return oidcIssuer;
  }

  const redirectUris = [BASE, BEARER_BASE].flatMap((base) => ['--redirect-uri', `${base}/api/auth/oauth/local/callback`]);
  oidcProvider = spawn(process.execPath, [new URL('../oidc-provider/provider.mjs', import.meta.url).pathname, '--port', OIDC_PORT, ...redirectUris],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: oidcProvider.stdout });
  const [issued] = await Promise.race([
    once(lines, 'line'),
    once(oidcProvider, 'exit').then(([code]) => { throw new Error(`the OpenID provider exited with ${code}`); }),
  ]);
  oidcIssuer = issued.replace(/^issuer /, '');
  return oidcIssuer;
}

/** Runs `step` (a click) and waits for the document it leads to: the provider's page, or the site's after redirects. */
async function loadAfter(page, step) {
  await Promise.all([page.waitForEvent('load'), step()]);
}

/** Clicks "Sign in with Local OpenID provider"; answers the provider's issuer. */
async function clickLocalProvider(page) {
  const issuer = await localProvider();
  const button = page.locator('#providers button[data-provider=local]');
  assert.equal(await button.textContent(), 'Sign in with Local OpenID provider');
  await loadAfter(page, () => button.click());
  return issuer;
}

/**
 * From the sample page through the provider as `login` (its login form, its consent form, each when it asks: a browser
 * that signed in there before goes straight back) until the provider sends the browser back to `base`.
 */
async function signInAtProvider(page, login, base = BASE) {
  const issuer = await clickLocalProvider(page);
  for (let step = 0; new URL(page.url()).origin !== new URL(base).origin; step++) {
    assert.ok(step < 3 && new URL(page.url()).origin === issuer, `the sign-in stopped at ${page.url()}`);
    if (await page.locator('input[name=login]').count() > 0) {
      await screenshot(page, 'provider-login');
      await page.fill('input[name=login]', login);
      await page.fill('input[name=password]', 'any password');
    } else {
      assert.equal(await page.locator('input[name=prompt][value=consent]').count(), 1, `neither a login nor a consent form at ${page.url()}`);
      await screenshot(page, 'provider-consent');
    }

    await loadAfter(page, () => page.click('button[type=submit]'));
  }
}

/** A context whose pages never wait for the internet: the provider's dev pages import a web font. */
async function offlineContext(t) {
  const context = await newContext(t);
  await context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
  return context;
}

test('external sign-in: "Sign in with Local OpenID provider" gives a session that lists, refreshes and revokes like any other', async (t) => {
  const context = await offlineContext(t);
  const page = await openPage(context);
  const login = `ext${randomUUID().slice(0, 8)}`;

  await signInAtProvider(page, login);

  await waitForStatus(page, `Signed in as ${login}`);
  assert.equal(new URL(page.url()).search, '', 'nothing is left in the address bar');
  await screenshot(page, 'external-signed-in');
  const session = JSON.parse(await whoAmI(page));
  assert.equal(session.username, login);
  assert.deepEqual(session.amr, ['fed']);
  assert.deepEqual((await context.cookies()).filter((cookie) => cookie.name.startsWith('__Host-fs-')).map((cookie) => cookie.name).sort(),
    ['__Host-fs-at', '__Host-fs-present', '__Host-fs-rt'], 'the session is in the usual cookies (the sign-in cookie is spent)');

  // Listed: the one session, this browser's.
  await page.locator('#sessions li', { hasText: 'this browser' }).waitFor();
  assert.equal(await page.locator('#sessions li').count(), 1);
  assert.equal(await page.locator('#sessions li button').getAttribute('data-session-id'), session.sessionId);

  // Refreshed: without an access token the client rotates the refresh token once and stays in the same session.
  const refreshTokenBefore = (await context.cookies()).find((cookie) => cookie.name === '__Host-fs-rt').value;
  await context.clearCookies({ name: '__Host-fs-at' });
  const events = await serverEventsDuring(async () => {
    assert.equal(JSON.parse(await whoAmI(page)).sessionId, session.sessionId);
  });
  assert.equal(countEvents(events, SIGNED_REFRESH), 1, 'the server rotated the refresh token once');
  assert.notEqual((await context.cookies()).find((cookie) => cookie.name === '__Host-fs-rt').value, refreshTokenBefore);

  // Revoked from the list: the session ends on the server.
  await page.click(`#sessions button[data-session-id="${session.sessionId}"]`);
  await waitForStatus(page, 'Signed out');
  assert.equal(await whoAmI(page), 'Not signed in.');
  await screenshot(page, 'external-session-revoked');

  // The same identity signs in to the same account again, in a new session; logout ends it.
  await signInAtProvider(page, login);
  await waitForStatus(page, `Signed in as ${login}`);
  const again = JSON.parse(await whoAmI(page));
  assert.equal(again.userId, session.userId);
  assert.notEqual(again.sessionId, session.sessionId);
  await logOut(page);
  assert.equal(await whoAmI(page), 'Not signed in.');
});

test('external sign-in cancelled at the provider: the page shows why, and the code leaves the address bar', async (t) => {
  const page = await openPage(await offlineContext(t));
  await clickLocalProvider(page);

  // Note: the provider's dev login page links to its abort route ("[ Cancel ]"), which answers access_denied.
  await loadAfter(page, () => page.click('a[href$="/abort"]'));

  await page.locator('#message', { hasText: 'The sign-in was cancelled at the provider.' }).waitFor();
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await statusOf(page), 'Signed out');
  await screenshot(page, 'external-sign-in-cancelled');
});

test('external sign-in in bearer mode: the page exchanges the one-time code and takes it out of the address bar', async (t) => {
  const context = await offlineContext(t);
  await context.route('**/config.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: "export default { apiBase: '', transport: 'bearer', protectedApiBase: 'http://localhost:7072' };",
  }));
  const page = await openPage(context, BEARER_BASE);
  const login = `ext${randomUUID().slice(0, 8)}`;
  const returned = page.waitForRequest((request) => request.isNavigationRequest() && new URL(request.url()).searchParams.has('signin_code'));
  const exchange = page.waitForResponse('**/api/auth/oauth/exchange');

  await signInAtProvider(page, login, BEARER_BASE);

  assert.equal(new URL((await returned).url()).origin, new URL(BEARER_BASE).origin);
  assert.equal((await exchange).status(), 200);
  await waitForStatus(page, `Signed in as ${login}`);
  assert.equal(new URL(page.url()).search, '', 'the signin_code is gone from the address bar');
  assert.equal(JSON.parse(await whoAmI(page)).username, login);
  assert.deepEqual((await context.cookies()).filter((cookie) => cookie.name.startsWith('__Host-fs-')), []);
  await page.locator('#sessions li').first().waitFor();
  await logOut(page);
});
