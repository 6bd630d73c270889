// FuncSessions browser client: a dependency-free ES module (types in funcsessions.d.ts).
//
// Cookie mode (default): the tokens live in HttpOnly cookies that script cannot read; this client only sends
// `credentials: 'include'` and keeps a description of the session. Bearer mode: the tokens live in this tab's
// memory and are handed to other open tabs of the same origin over a BroadcastChannel; they are never written
// to localStorage, sessionStorage, IndexedDB or a cookie, so reloading the last open tab means logging in again.
//
// A visitor without a session never sends refresh: in bearer mode the tab knows whether it holds a refresh token;
// in cookie mode, where script cannot see the HttpOnly cookies, the API sets a non-secret presence hint cookie,
// `__Host-fs-present=1`, with the refresh cookie's lifetime. It is only a hint: the server never trusts it. A page
// on another host than the API cannot read the API's cookies, so there the client always asks the API.
//
// Refresh is single-flight across tabs: a tab takes a Web Lock (or, without the Web Locks API, waits for the
// refresh another tab announced on the BroadcastChannel) and, once it holds it, first checks whether another tab
// already refreshed, so N tabs whose access tokens expire together spend the refresh token once.

const API_PREFIX = '/api/auth/';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
// Reasons that replace the credentials; a request sent before one of them may simply be retried.
const CREDENTIAL_CHANGES = new Set(['login', 'refresh', 'password']);
// Changes other tabs hear about (a plain validate only confirms what they know).
const SHARED_CHANGES = new Set([...CREDENTIAL_CHANGES, 'revalidated']);
const FALLBACK_LOCK_TIMEOUT_MS = 10_000;
const PRESENCE_HINT = /(?:^|;\s*)__Host-fs-present=1(?:;|$)/;
// What an external sign-in's callback adds to returnTo: bearer mode's one-time code, or a problem code.
const SIGNIN_CODE = 'signin_code';
const SIGNIN_ERROR = 'error';

/** A failed call: the API's problem `code` (or `network_error` / `http_<status>`), status, title and detail. */
export class FuncSessionsError extends Error {
  constructor(status, code, title, detail, retryAfterSeconds) {
    super(detail ? `${title} ${detail}` : title);
    this.name = 'FuncSessionsError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function createClient(options) {
  return new FuncSessionsClient(options);
}

export class FuncSessionsClient {
  #base;
  #bearer;
  #fetch;
  #locks;
  #channel;
  #lockName;
  #trustedOrigins;
  #cookies;
  #session = null;
  #tokens = null;
  #state = 'unknown';
  #generation = 0;
  #inflight = null;
  #foreignRefresh = null;
  #listeners = new Set();
  #credentials;
  #location;
  #history;
  #secondFactorToken = null;

  constructor({
    baseUrl = '',
    transport = 'cookie',
    fetch = globalThis.fetch.bind(globalThis),
    locks = globalThis.navigator?.locks,
    channel,
    trustedOrigins = [],
    document = sameHost(baseUrl) ? globalThis.document : null,
    credentials = globalThis.navigator?.credentials,
    location = globalThis.location,
    history = globalThis.history,
  } = {}) {
    if (transport !== 'cookie' && transport !== 'bearer') {
      throw new TypeError(`transport must be 'cookie' or 'bearer', not '${transport}'`);
    }

    this.#base = baseUrl.replace(/\/+$/, '');
    this.#bearer = transport === 'bearer';
    this.#fetch = fetch;
    this.#locks = locks ?? null;
    this.#cookies = document ?? null;
    this.#credentials = credentials ?? null;
    this.#location = location ?? null;
    this.#history = history ?? null;
    const apiOrigin = originOf(this.#base || '/');
    this.#trustedOrigins = new Set([apiOrigin, ...trustedOrigins.map(originOf)]);
    this.#lockName = `funcsessions-refresh ${apiOrigin}`;
    this.#channel = channel === undefined && typeof BroadcastChannel === 'function'
      ? new BroadcastChannel(`funcsessions ${apiOrigin}`)
      : channel ?? null;
    this.#channel?.addEventListener('message', (event) => this.#receive(event.data));
  }

  /** The last known session (never a token), or null when signed out or not yet known. */
  get session() {
    return this.#session;
  }

  /** Calls `listener(session, { reason, fromOtherTab })` whenever the session changes; returns an unsubscribe function. */
  onChange(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Creates an account. The API answers 202 (or 201 from older servers); log in afterwards. */
  async register(username, password) {
    const response = await this.#plain('register', { method: 'POST', body: { username, password } });
    return { status: response.status };
  }

  /**
   * Resolves to the session, or, for an account with a second factor, to `{ secondFactorRequired: true, methods,
   * expiresAt }`: finish with `completeSecondFactor`.
   */
  login(username, password) {
    return this.#login({ username, password });
  }

  async #login(credentials) {
    const response = await send(this.#fetch, this.#url('login'), {
      method: 'POST',
      credentials: 'include',
      headers: JSON_HEADERS,
      body: JSON.stringify(credentials),
    });
    const pending = await this.#secondFactorRequired(response);
    if (pending) {
      return pending;
    }

    await ensureOk(response);
    return this.#accept(await response.json(), 'login');
  }

  /** Creates an account with an address instead of a user name (email switched on); the API mails a verification link. */
  async registerWithEmail(email, password) {
    const response = await this.#plain('register', { method: 'POST', body: { email, password } });
    return { status: response.status };
  }

  /** As `login`, by address; an account with TOTP on gets the same second-factor step. */
  loginWithEmail(email, password) {
    return this.#login({ email, password });
  }

  /** Mails a new verification link. Always 202, whether or not the address has an account. */
  async requestEmailVerification(email) {
    const response = await this.#plain('email/verify/request', { method: 'POST', body: { email } });
    return { status: response.status };
  }

  /** Completes verification with the token from the link's fragment. */
  async verifyEmail(token) {
    await this.#plain('email/verify', { method: 'POST', body: { token } });
  }

  /** Mails a password-reset link. Always 202, whether or not the address has an account. */
  async requestPasswordReset(email) {
    const response = await this.#plain('password/reset/request', { method: 'POST', body: { email } });
    return { status: response.status };
  }

  /** Sets a new password with the token from the link. The API ends every session of the account: log in afterwards. */
  async resetPassword(token, newPassword) {
    await this.#plain('password/reset', { method: 'POST', body: { token, newPassword } });
    if (this.#session) {
      this.#signOut('revoked', true);
    }
  }

  /** Asks to move the account to a new address (needs a recent login); the API mails a link to the new address. */
  async changeEmail(newEmail) {
    const response = await this.#call('email/change', { method: 'POST', body: { newEmail } });
    return { status: response.status };
  }

  /** Completes an address change with the token from the link sent to the new address. */
  async confirmEmailChange(token) {
    await this.#plain('email/change/confirm', { method: 'POST', body: { token } });
  }

  /**
   * Completes a login that answered `secondFactorRequired` with `{ code }` (from the authenticator app) or
   * `{ recoveryCode }`. A wrong code (`invalid_code`) may be retried; `second_factor_expired` means log in again.
   * A recovery code ends every other session of the account.
   */
  async completeSecondFactor({ code, recoveryCode } = {}) {
    const body = code ? { code } : { recoveryCode };
    if (this.#bearer) {
      body.secondFactorToken = this.#secondFactorToken ?? undefined;
    }

    let response;
    try {
      response = await this.#plain('login/second-factor', { method: 'POST', body });
    } catch (error) {
      if (error.code === 'second_factor_expired') {
        this.#secondFactorToken = null;
      }

      throw error;
    }

    this.#secondFactorToken = null;
    return this.#accept(await response.json(), 'login');
  }

  /** `{ totp, recoveryCodesLeft }` for the signed-in account. */
  async secondFactorStatus() {
    const response = await this.#call('second-factor', { method: 'GET' });
    return response.json();
  }

  /**
   * Starts TOTP set-up: `{ secret, otpAuthUri, qrCode }` (qrCode is an image URL to show), shown this once. Nothing
   * changes until `confirmTotp` with a code from the app. Needs a recent sign-in (`reauthentication_required`).
   */
  async enrolTotp() {
    const response = await this.#call('second-factor/totp', { method: 'POST', body: {} });
    return response.json();
  }

  /** Turns TOTP on with a first code; resolves to the ten recovery codes, which the API never shows again. */
  async confirmTotp(code) {
    const response = await this.#call('second-factor/totp/confirm', { method: 'POST', body: { code } });
    return (await response.json()).recoveryCodes;
  }

  /** Turns TOTP off and deletes the recovery codes; the API ends every other session of the account. */
  async disableTotp() {
    await this.#call('second-factor/totp', { method: 'DELETE' });
  }

  /** New recovery codes, replacing every earlier one. */
  async regenerateRecoveryCodes() {
    const response = await this.#call('second-factor/recovery-codes', { method: 'POST', body: {} });
    return (await response.json()).recoveryCodes;
  }

  /**
   * Creates a passkey for the signed-in account with the browser's WebAuthn API and stores it under `name`;
   * resolves to the stored passkey. The browser's own errors (e.g. `NotAllowedError` when the user cancels) pass through.
   */
  async registerPasskey(name) {
    const { challengeToken, options } = await (await this.#call('passkeys/register/options', { method: 'POST', body: {} })).json();
    const credential = await this.#webAuthn().create({ publicKey: creationOptions(options) });
    const response = await this.#call('passkeys/register', {
      method: 'POST',
      body: { challengeToken, name, credential: attestationJson(credential) },
    });
    return response.json();
  }

  /** Signs in with a passkey the browser offers (no user name, no password, no second-factor step). */
  async signInWithPasskey() {
    const { challengeToken, options } = await (await this.#plain('passkeys/login/options', { method: 'POST', body: {} })).json();
    const credential = await this.#webAuthn().get({ publicKey: requestOptions(options) });
    const response = await this.#plain('passkeys/login', { method: 'POST', body: { challengeToken, credential: assertionJson(credential) } });
    return this.#accept(await response.json(), 'login');
  }

  async listPasskeys() {
    const response = await this.#call('passkeys', { method: 'GET' });
    return (await response.json()).passkeys;
  }

  /** Deletes one of the account's passkeys; needs a recent sign-in. */
  async deletePasskey(id) {
    await this.#call(`passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  /** The configured external providers: `[{ name, displayName, startUrl }]`, for "Sign in with …" buttons. */
  async externalProviders() {
    const response = await send(this.#fetch, this.#url('oauth/providers'), { method: 'GET', credentials: 'include' });
    await ensureOk(response);
    return (await response.json()).providers;
  }

  /**
   * Where a "Sign in with …" button goes: the provider's `start` route, returning to `returnTo` (default this page,
   * without its fragment, which the API refuses, and without what an earlier sign-in added to the query).
   */
  externalSignInUrl(provider, { returnTo = this.#currentPage(), link = false } = {}) {
    const name = typeof provider === 'string' ? provider : provider.name;
    const url = new URL(this.#url(`oauth/${encodeURIComponent(name)}/start`), this.#location?.href);
    url.searchParams.set('returnTo', returnTo);
    if (link) {
      url.searchParams.set('link', 'true');
    }

    return url.href;
  }

  /** Navigates this tab to the provider (see `externalSignInUrl`); the sign-in ends back on `returnTo`. */
  signInWithProvider(provider, options) {
    this.#location.assign(this.externalSignInUrl(provider, options));
  }

  /**
   * On the page an external sign-in returned to: takes `signin_code` and `error` out of the address bar, then, in
   * bearer mode, exchanges the one-time code for the session. Resolves to the session, to `{ secondFactorRequired }`
   * for an account with TOTP on (then `completeSecondFactor`), or to null when this load is no such return (in cookie
   * mode the cookies are already set: `restore()` finds the session). An `error` is thrown as a FuncSessionsError.
   */
  async completeExternalSignIn() {
    const { code, error } = this.#takeSignInResult();
    if (error === 'second_factor_required') {
      return { secondFactorRequired: true, methods: [], expiresAt: undefined };
    }

    if (error) {
      throw new FuncSessionsError(0, error, 'The sign-in with the external provider did not complete.');
    }

    return code && this.#bearer ? this.#exchangeSignInCode(code) : null;
  }

  async #exchangeSignInCode(code) {
    const response = await send(this.#fetch, this.#url('oauth/exchange'), {
      method: 'POST',
      credentials: 'include',
      headers: JSON_HEADERS,
      body: JSON.stringify({ code }),
    });
    const pending = await this.#secondFactorRequired(response);
    if (pending) {
      return pending;
    }

    await ensureOk(response);
    return this.#accept(await response.json(), 'login');
  }

  // Note: removed at once, so the one-time code stays out of the history, bookmarks and a reload.
  #takeSignInResult() {
    const url = this.#location ? new URL(this.#location.href) : null;
    if (!url || (!url.searchParams.has(SIGNIN_CODE) && !url.searchParams.has(SIGNIN_ERROR))) {
      return {};
    }

    const result = { code: url.searchParams.get(SIGNIN_CODE), error: url.searchParams.get(SIGNIN_ERROR) };
    url.searchParams.delete(SIGNIN_CODE);
    url.searchParams.delete(SIGNIN_ERROR);
    this.#history?.replaceState(this.#history.state, '', url.pathname + url.search + url.hash);
    return result;
  }

  #currentPage() {
    const url = new URL(this.#location.href);
    url.hash = '';
    url.searchParams.delete(SIGNIN_CODE);
    url.searchParams.delete(SIGNIN_ERROR);
    return url.href;
  }

  /**
   * Restores the session on page load: in cookie mode by asking the API, in bearer mode by asking the other open
   * tabs for their tokens first (there is nothing stored to restore from). Resolves to the session or null.
   */
  async restore({ waitMs = 200 } = {}) {
    if (this.#bearer && !this.#tokens && this.#channel) {
      await new Promise((resolve) => {
        const timer = setTimeout(done, waitMs);
        const unsubscribe = this.onChange(() => this.#tokens && done());
        function done() {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
        this.#post({ type: 'hello' });
      });
    }

    return this.#bearer && !this.#tokens ? this.#signOut('expired', false) : this.validate();
  }

  /** The current session from the API (refreshing once if needed), or null when there is none. */
  validate() {
    return this.#validate('validated');
  }

  async #validate(reason) {
    const response = await this.#authorized(this.#url('validate'), { method: 'GET' });
    if (response.status === 401) {
      return this.#signOut('expired', false);
    }

    await ensureOk(response);
    return this.#describe(await response.json(), reason);
  }

  /** Rotates the tokens now (single-flight across tabs). Resolves to false when the session is over. */
  refresh() {
    return this.#refreshAfter(this.#generation, false);
  }

  async logout() {
    try {
      const response = await this.#fetch(this.#url('logout'), {
        method: 'POST',
        credentials: 'include',
        headers: { ...JSON_HEADERS, ...this.#authorization() },
        body: JSON.stringify(this.#bearer && this.#tokens ? { refreshToken: this.#tokens.refreshToken } : {}),
      });
      await ensureOk(response);
    } finally {
      this.#signOut('logout', true);
    }
  }

  async sessions() {
    const response = await this.#call('sessions', { method: 'GET' });
    return (await response.json()).sessions;
  }

  /** Revokes one of the caller's sessions; revoking the current one signs this browser out. */
  async revokeSession(id) {
    await this.#call(`sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (id === this.#session?.sessionId) {
      this.#signOut('revoked', true);
    }
  }

  async logoutAll() {
    await this.#call('logout-all', { method: 'POST', body: {} });
    this.#signOut('logout-all', true);
  }

  /** Changes the password; the API ends every session and continues in a new one. */
  async changePassword(currentPassword, newPassword) {
    const response = await this.#call('password', { method: 'POST', body: { currentPassword, newPassword } });
    return this.#accept(await response.json(), 'password');
  }

  /**
   * fetch() with credentials. For the API's origin and `trustedOrigins` (your own APIs) it also sends the access
   * token in bearer mode, refreshes once on 401 and retries once, and honours `X-Revalidate-Session: true`;
   * other origins get a plain credentialed fetch.
   */
  fetch(input, init = {}) {
    return this.#authorized(input, init);
  }

  /** Stops listening to other tabs. */
  close() {
    this.#channel?.close();
    this.#listeners.clear();
  }

  // A 401 `second_factor_required` answer as the pending result (bearer mode keeps its token here, never in the result).
  async #secondFactorRequired(response) {
    if (response.status !== 401 || !(response.headers.get('Content-Type') ?? '').includes('json')) {
      return null;
    }

    const problem = await response.clone().json().catch(() => ({}));
    if (problem.code !== 'second_factor_required') {
      return null;
    }

    this.#secondFactorToken = problem.secondFactorToken ?? null;
    return { secondFactorRequired: true, methods: problem.methods ?? [], expiresAt: problem.expiresAt };
  }

  #webAuthn() {
    if (!this.#credentials) {
      throw new FuncSessionsError(0, 'webauthn_unavailable', 'This browser has no WebAuthn (passkeys need a secure context).');
    }

    return this.#credentials;
  }

  async #plain(path, { method, body }) {
    const response = await send(this.#fetch, this.#url(path), {
      method,
      credentials: 'include',
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    return ensureOk(response);
  }

  async #call(path, { method, body }) {
    const init = { method, headers: body ? JSON_HEADERS : {} };
    if (body) {
      init.body = JSON.stringify(body);
    }

    const response = await this.#authorized(this.#url(path), init);
    if (response.status === 401) {
      this.#signOut('expired', false);
    }

    return ensureOk(response);
  }

  async #authorized(input, init) {
    const url = input instanceof Request ? input.url : String(input);
    const trusted = this.#trustedOrigins.has(originOf(url));
    const generation = this.#generation;
    let response = await this.#send(input, init, trusted);
    if (response.status === 401 && trusted && this.#mayRefresh() && (await this.#refreshAfter(generation, true))) {
      response = await this.#send(input, init, trusted);
    }

    if (trusted && response.headers.get('X-Revalidate-Session') === 'true' && !sameUrl(url, this.#url('validate'))) {
      this.#validate('revalidated').catch(() => {});
    }

    return response;
  }

  #send(input, init, trusted) {
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init.headers).forEach((value, name) => headers.set(name, value));
    if (this.#bearer && this.#tokens && trusted && !headers.has('Authorization')) {
      headers.set('Authorization', `Bearer ${this.#tokens.accessToken}`);
    }

    const request = input instanceof Request ? input.clone() : input;
    return send(this.#fetch, request, { ...init, headers, credentials: 'include' });
  }

  #mayRefresh() {
    return this.#bearer ? this.#tokens !== null : this.#state !== 'signed-out' && this.#mayHoldRefreshCookie();
  }

  // Cookie mode: false only when the presence hint is visible and absent, i.e. there is no refresh cookie to send.
  #mayHoldRefreshCookie() {
    return this.#cookies === null || PRESENCE_HINT.test(this.#cookies.cookie ?? '');
  }

  // A request sent at `generation` failed with 401: refresh unless someone (this tab or another) already did.
  #refreshAfter(generation, probe) {
    if (this.#generation !== generation) {
      return Promise.resolve(true);
    }

    this.#inflight ??= this.#exclusive(() => this.#refreshHoldingLock(generation, probe))
      .finally(() => { this.#inflight = null; });
    return this.#inflight;
  }

  async #refreshHoldingLock(generation, probe) {
    if (this.#generation !== generation) {
      return true;
    }

    // Note: another tab's "refreshed" message can arrive after this tab got the lock; in cookie mode the cookies
    // are shared, so a validate that now succeeds shows that the refresh token was already spent (and replaced).
    if (probe && !this.#bearer && (await this.#probe())) {
      this.#generation++;
      return true;
    }

    if (this.#bearer && !this.#tokens) {
      return false;
    }

    if (!this.#bearer && !this.#mayHoldRefreshCookie()) {
      this.#signOut('expired', false);
      return false;
    }

    const response = await send(this.#fetch, this.#url('refresh'), {
      method: 'POST',
      credentials: 'include',
      headers: JSON_HEADERS,
      body: JSON.stringify(this.#bearer ? { refreshToken: this.#tokens.refreshToken } : {}),
    });
    if (response.status === 401) {
      this.#signOut('expired', true);
      return false;
    }

    await ensureOk(response);
    this.#accept(await response.json(), 'refresh');
    return true;
  }

  async #probe() {
    const response = await send(this.#fetch, this.#url('validate'), { method: 'GET', credentials: 'include' });
    if (!response.ok) {
      return false;
    }

    this.#describe(await response.json(), 'validated');
    return true;
  }

  #exclusive(task) {
    return this.#locks ? this.#locks.request(this.#lockName, task) : this.#exclusiveOverChannel(task);
  }

  // Without Web Locks: wait while another tab announces a refresh, then announce ours. Two tabs that start in the
  // same instant may both refresh; the API's grace period hands them the same successor, so neither is logged out.
  async #exclusiveOverChannel(task) {
    while (this.#foreignRefresh) {
      await this.#foreignRefresh.promise;
    }

    this.#post({ type: 'refreshing' });
    try {
      return await task();
    } finally {
      this.#post({ type: 'refreshed' });
    }
  }

  #accept(body, reason) {
    const { accessToken, refreshToken, tokenType: _, ...session } = body;
    if (this.#bearer) {
      this.#tokens = { accessToken, refreshToken };
    }

    return this.#describe(session, reason);
  }

  #describe(session, reason) {
    this.#session = session;
    this.#state = 'signed-in';
    if (CREDENTIAL_CHANGES.has(reason)) {
      this.#generation++;
    }

    if (SHARED_CHANGES.has(reason)) {
      this.#post({ type: 'session', reason, session, tokens: this.#bearer ? this.#tokens : undefined });
    }

    this.#emit(reason, false);
    return session;
  }

  #signOut(reason, tellOtherTabs) {
    const changed = this.#state !== 'signed-out';
    this.#session = null;
    this.#tokens = null;
    this.#state = 'signed-out';
    if (tellOtherTabs) {
      this.#post({ type: 'signed-out', reason });
    }

    if (changed) {
      this.#emit(reason, false);
    }

    return null;
  }

  #receive(message) {
    switch (message?.type) {
      case 'session':
        if (this.#bearer && !message.tokens) {
          return;
        }

        if (this.#bearer) {
          this.#tokens = message.tokens;
        }

        this.#session = message.session;
        this.#state = 'signed-in';
        if (CREDENTIAL_CHANGES.has(message.reason)) {
          this.#generation++;
        }

        this.#emit(message.reason, true);
        return;
      case 'signed-out':
        if (this.#state !== 'signed-out') {
          this.#session = null;
          this.#tokens = null;
          this.#state = 'signed-out';
          this.#emit(message.reason, true);
        }

        return;
      case 'hello':
        if (this.#bearer && this.#tokens) {
          this.#post({ type: 'session', reason: 'shared', session: this.#session, tokens: this.#tokens });
        }

        return;
      case 'refreshing':
        this.#foreignRefresh?.release();
        this.#foreignRefresh = waitForRelease(FALLBACK_LOCK_TIMEOUT_MS, () => { this.#foreignRefresh = null; });
        return;
      case 'refreshed':
        this.#foreignRefresh?.release();
        return;
      default:
    }
  }

  #post(message) {
    this.#channel?.postMessage(message);
  }

  #emit(reason, fromOtherTab) {
    for (const listener of this.#listeners) {
      listener(this.#session, { reason, fromOtherTab });
    }
  }

  #authorization() {
    return this.#bearer && this.#tokens ? { Authorization: `Bearer ${this.#tokens.accessToken}` } : {};
  }

  #url(path) {
    return `${this.#base}${API_PREFIX}${path}`;
  }
}

function waitForRelease(timeoutMs, onRelease) {
  let release;
  const promise = new Promise((resolve) => {
    const timer = setTimeout(() => release(), timeoutMs);
    release = () => {
      clearTimeout(timer);
      onRelease();
      resolve();
    };
  });
  return { promise, release };
}

async function send(fetch, input, init) {
  try {
    return await fetch(input, init);
  } catch (error) {
    if (error?.name === 'AbortError') {
      throw error;
    }

    throw new FuncSessionsError(0, 'network_error', 'The server could not be reached.', String(error?.message ?? error));
  }
}

async function ensureOk(response) {
  if (response.ok) {
    return response;
  }

  let problem = {};
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    problem = await response.json().catch(() => ({}));
  }

  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  throw new FuncSessionsError(
    response.status,
    problem.code ?? `http_${response.status}`,
    problem.title ?? `HTTP ${response.status}`,
    problem.detail ?? undefined,
    Number.isFinite(retryAfter) ? retryAfter : undefined);
}

/** Bytes (ArrayBuffer or a view) as unpadded base64url, the form the API uses for WebAuthn's binary fields. */
export function bytesToBase64Url(bytes) {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let binary = '';
  for (const byte of view) {
    binary += String.fromCharCode(byte);
  }

  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padded or not) as an ArrayBuffer. */
export function base64UrlToBytes(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
}

// The server's JSON options with their binary fields as the ArrayBuffers navigator.credentials expects.
function creationOptions(options) {
  return {
    ...options,
    challenge: base64UrlToBytes(options.challenge),
    user: { ...options.user, id: base64UrlToBytes(options.user.id) },
    excludeCredentials: (options.excludeCredentials ?? []).map(descriptor),
  };
}

function requestOptions(options) {
  return { ...options, challenge: base64UrlToBytes(options.challenge), allowCredentials: (options.allowCredentials ?? []).map(descriptor) };
}

function descriptor(credential) {
  return { ...credential, id: base64UrlToBytes(credential.id) };
}

// The browser's PublicKeyCredential as the JSON the API reads (WebAuthn Level 3's toJSON form).
function attestationJson(credential) {
  return credentialJson(credential, {
    attestationObject: bytesToBase64Url(credential.response.attestationObject),
    clientDataJSON: bytesToBase64Url(credential.response.clientDataJSON),
    transports: credential.response.getTransports?.() ?? [],
  });
}

function assertionJson(credential) {
  const { authenticatorData, clientDataJSON, signature, userHandle } = credential.response;
  return credentialJson(credential, {
    authenticatorData: bytesToBase64Url(authenticatorData),
    clientDataJSON: bytesToBase64Url(clientDataJSON),
    signature: bytesToBase64Url(signature),
    userHandle: userHandle ? bytesToBase64Url(userHandle) : null,
  });
}

function credentialJson(credential, response) {
  return {
    id: credential.id,
    rawId: bytesToBase64Url(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
  };
}

// Cookies belong to a host: the page sees the API's presence hint only when the API is on the page's own host.
function sameHost(baseUrl) {
  const page = globalThis.location?.href;
  return page !== undefined && new URL(baseUrl || '/', page).hostname === new URL(page).hostname;
}

function originOf(url) {
  return new URL(url, globalThis.location?.href).origin;
}

function sameUrl(a, b) {
  const base = globalThis.location?.href;
  return new URL(a, base).href === new URL(b, base).href;
}
