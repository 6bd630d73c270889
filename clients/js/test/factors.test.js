// Unit tests of the client's second-factor step, TOTP set-up and passkey helpers: node --test clients/js/test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, FuncSessionsError, base64UrlToBytes, bytesToBase64Url } from '../funcsessions.js';
import { createFakeApi } from './fake-api.js';

const PASSWORD = 'correct horse battery staple';

function openTab(t, { transport = 'cookie', credentials } = {}) {
  const api = createFakeApi({ transport });
  const browser = api.browser();
  const tab = createClient({ baseUrl: api.origin, transport, fetch: browser.fetch, locks: null, channel: null, document: browser.document, credentials });
  t.after(() => tab.close());
  return { api, browser, tab };
}

async function withTotp(tab) {
  await tab.login('alice', PASSWORD);
  await tab.enrolTotp();
  return tab.confirmTotp('123456');
}

/** A stand-in for navigator.credentials that records the options it was given and answers like a browser. */
function fakeAuthenticator() {
  const bytes = (...values) => new Uint8Array(values).buffer;
  const seen = {};
  return {
    seen,
    async create(options) {
      seen.create = options;
      return {
        id: 'cred-1', rawId: bytes(0xfb, 0xff), type: 'public-key',
        response: { attestationObject: bytes(1, 2, 3), clientDataJSON: bytes(4), getTransports: () => ['internal'] },
        getClientExtensionResults: () => ({ credProps: { rk: true } }),
      };
    },
    async get(options) {
      seen.get = options;
      return {
        id: 'cred-1', rawId: bytes(0xfb, 0xff), type: 'public-key',
        response: { authenticatorData: bytes(5), clientDataJSON: bytes(6), signature: bytes(7, 8), userHandle: bytes(0x75, 0x31) },
        getClientExtensionResults: () => ({}),
      };
    },
  };
}

test('base64url round-trips every byte value, without padding or + and /', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);

  const text = bytesToBase64Url(all);

  assert.doesNotMatch(text, /[+/=]/);
  assert.deepEqual(new Uint8Array(base64UrlToBytes(text)), all);
  assert.equal(bytesToBase64Url(new Uint8Array([0xfb, 0xff]).subarray(1)), '_w');
  assert.deepEqual(new Uint8Array(base64UrlToBytes('-_8=')), new Uint8Array([0xfb, 0xff]));
});

for (const transport of ['cookie', 'bearer']) {
  test(`${transport}: login for an account with TOTP resolves to the second-factor step, a code completes it`, async (t) => {
    const { api, tab } = openTab(t, { transport });
    const recoveryCodes = await withTotp(tab);
    await tab.logout();

    const pending = await tab.login('alice', PASSWORD);

    assert.deepEqual(recoveryCodes, ['AAAA-BBBB']);
    assert.equal(pending.secondFactorRequired, true);
    assert.deepEqual(pending.methods, ['totp', 'recovery_code']);
    assert.equal(pending.secondFactorToken, undefined, 'the bearer-mode token stays inside the client');
    assert.equal(tab.session, null);
    const session = await tab.completeSecondFactor({ code: '123456' });
    assert.equal(session.username, 'alice');
    assert.equal(tab.session.username, 'alice');
    assert.ok(api.log.includes('POST /api/auth/login/second-factor'));
  });
}

test('a wrong code can be retried; a recovery code completes the same pending sign-in', async (t) => {
  const { tab } = openTab(t, { transport: 'bearer' });
  await withTotp(tab);
  await tab.logout();
  await tab.login('alice', PASSWORD);

  const wrong = await tab.completeSecondFactor({ code: '000000' }).catch((error) => error);
  const session = await tab.completeSecondFactor({ recoveryCode: 'AAAA-BBBB' });

  assert.ok(wrong instanceof FuncSessionsError);
  assert.equal(wrong.code, 'invalid_code');
  assert.equal(session.username, 'alice');
});

test('a completed second-factor step cannot be completed again', async (t) => {
  const { tab } = openTab(t, { transport: 'bearer' });
  await withTotp(tab);
  await tab.logout();
  await tab.login('alice', PASSWORD);
  await tab.completeSecondFactor({ code: '123456' });

  const again = await tab.completeSecondFactor({ code: '123456' }).catch((error) => error);

  assert.equal(again.code, 'second_factor_expired');
});

test('a wrong password still throws, it is not a second-factor step', async (t) => {
  const { tab } = openTab(t);

  const error = await tab.login('alice', 'wrong').catch((e) => e);

  assert.equal(error.code, 'invalid_credentials');
});

test('registerPasskey hands the browser binary options and posts its answer as base64url JSON', async (t) => {
  const authenticator = fakeAuthenticator();
  const { api, tab } = openTab(t, { credentials: authenticator });
  await tab.login('alice', PASSWORD);

  const passkey = await tab.registerPasskey('Laptop');

  const options = authenticator.seen.create.publicKey;
  assert.deepEqual(new Uint8Array(options.challenge), new Uint8Array([1, 2, 3]));
  assert.deepEqual(new Uint8Array(options.user.id), new Uint8Array([0x75, 0x31]));
  assert.equal(options.user.name, 'alice');
  assert.deepEqual(new Uint8Array(options.excludeCredentials[0].id), new Uint8Array([0xff]));
  assert.equal(passkey.name, 'Laptop');
  const stored = api.passkeys.get('cred-1');
  assert.equal(stored.challengeToken, 'reg-challenge');
  assert.deepEqual(stored.credential, {
    id: 'cred-1', rawId: '-_8', type: 'public-key',
    response: { attestationObject: 'AQID', clientDataJSON: 'BA', transports: ['internal'] },
    clientExtensionResults: { credProps: { rk: true } },
  });
});

test('signInWithPasskey signs in with the assertion and no password; list and delete passkeys', async (t) => {
  const authenticator = fakeAuthenticator();
  const { api, tab } = openTab(t, { transport: 'bearer', credentials: authenticator });
  await tab.login('alice', PASSWORD);
  await tab.registerPasskey('Laptop');
  await tab.logout();

  const session = await tab.signInWithPasskey();

  assert.equal(session.username, 'alice');
  assert.deepEqual(new Uint8Array(authenticator.seen.get.publicKey.challenge), new Uint8Array([4, 5, 6]));
  assert.deepEqual(api.lastAssertion, {
    challengeToken: 'login-challenge',
    credential: {
      id: 'cred-1', rawId: '-_8', type: 'public-key',
      response: { authenticatorData: 'BQ', clientDataJSON: 'Bg', signature: 'Bwg', userHandle: 'dTE' },
      clientExtensionResults: {},
    },
  });
  assert.deepEqual(await tab.listPasskeys(), [{ id: 'cred-1', name: 'Laptop' }]);
  await tab.deletePasskey('cred-1');
  assert.deepEqual(await tab.listPasskeys(), []);
});

test('without WebAuthn the passkey helpers fail with webauthn_unavailable', async (t) => {
  const { tab } = openTab(t, { credentials: null });
  await tab.login('alice', PASSWORD);

  const error = await tab.registerPasskey('Laptop').catch((e) => e);

  assert.equal(error.code, 'webauthn_unavailable');
});
