import { createClient } from './funcsessions.js';
import config from './config.js';

const protectedUrl = `${config.protectedApiBase}/api/protected/whoami`;
const auth = createClient({ baseUrl: config.apiBase, transport: config.transport, trustedOrigins: [config.protectedApiBase] });
const $ = (id) => document.getElementById(id);

// What a person should read for each problem code the API returns (the title is a fallback).
const MESSAGES = {
  invalid_credentials: 'Wrong username or password.',
  too_many_attempts: 'Too many attempts. Please wait before trying again.',
  invalid_username: 'That username is not acceptable: use 1 to 64 characters without spaces.',
  username_taken: 'That username is taken.',
  registration_disabled: 'Registration is closed on this server.',
  invalid_token: 'Your session has ended. Please log in again.',
  invalid_refresh_token: 'Your session has ended. Please log in again.',
  session_expired: 'Your session has expired. Please log in again.',
  refresh_token_reused: 'Your session was ended because a refresh token was used twice. Please log in again.',
  session_not_found: 'That session no longer exists.',
  password_change_conflict: 'Your account changed while the password was being replaced. Please try again.',
  reauthentication_required: 'This needs a recent login. Please confirm your password.',
  origin_not_allowed: 'The API does not accept requests from this page\u2019s origin (see FuncSessions:Http:AllowedOrigins).',
  storage_unavailable: 'The service is temporarily unavailable. Please try again shortly.',
  invalid_email: 'That email address is not acceptable.',
  invalid_link: 'This link is not valid: it may have expired or been used already. Ask for a new one.',
  email_not_verified: 'Confirm your email address first: open the link we sent you (or ask for it again under \u201cForgot your password?\u201d).',
  email_disabled: 'Email is not set up on this server.',
  email_taken: 'That address belongs to another account.',
  email_change_conflict: 'Your account changed meanwhile. Please ask for a new link.',
  network_error: 'The server could not be reached.',
  invalid_code: 'That code is wrong or was already used. Try the current code.',
  second_factor_expired: 'This sign-in has expired. Please log in again.',
  invalid_passkey: 'The passkey was not accepted.',
  passkey_not_found: 'That passkey no longer exists.',
  factors_not_configured: 'Passkeys and authenticator apps are not set up on this server (FuncSessions:Factors:EncryptionKey).',
  totp_already_enabled: 'An authenticator app is already set up.',
  webauthn_unavailable: 'This browser cannot use passkeys here (they need https or localhost).',
  NotAllowedError: 'The passkey request was cancelled or timed out.',
  // External sign-in: the codes its callback adds to this page's address as ?error=.
  invalid_state: 'The sign-in expired or was already completed. Please try again.',
  access_denied: 'The sign-in was cancelled at the provider.',
  provider_error: 'The provider could not sign you in.',
  provider_unavailable: 'The provider could not be reached. Please try again shortly.',
  token_exchange_failed: 'The provider did not confirm the sign-in. Please try again.',
  invalid_id_token: 'The provider\u2019s answer was not accepted. Please try again.',
  tenant_not_allowed: 'Accounts of your organisation cannot sign in here.',
  identity_in_use: 'That account at the provider already signs in to another account here.',
  sign_in_failed: 'This account cannot sign in.',
  invalid_signin_code: 'This sign-in expired or was already used. Please sign in again.',
  last_sign_in_method: 'This is your account\u2019s only way to sign in: add a passkey or a password first.',
};

function describe(error) {
  if (error.code === 'password_too_short' || error.code === 'password_too_long') {
    return `That password is not acceptable. ${error.detail ?? ''}`.trim();
  }

  const text = MESSAGES[error.code ?? error.name] ?? error.title ?? String(error);
  return error.code === 'too_many_attempts' && error.retryAfterSeconds
    ? `Too many attempts. Try again in ${error.retryAfterSeconds} seconds.`
    : text;
}

function show(text, kind = 'error') {
  const message = $('message');
  message.textContent = text;
  message.className = kind;
  message.hidden = !text;
}

// The session id on screen (undefined before the first render): a refresh or validate of the same session changes nothing.
let renderedSessionId;

function render(session) {
  const sessionId = session?.sessionId ?? null;
  if (sessionId === renderedSessionId) {
    return;
  }

  renderedSessionId = sessionId;
  $('status').textContent = session ? `Signed in as ${session.username}` : 'Signed out';
  $('signed-in').hidden = !session;
  $('signed-out').hidden = !!session;
  if (session) {
    loadSessions().catch((error) => show(describe(error)));
    loadFactors().catch((error) => show(describe(error)));
  } else {
    $('sessions').replaceChildren();
    $('passkeys').replaceChildren();
    $('totp-confirm-form').hidden = true;
    $('recovery-codes').hidden = true;
  }
}

// Runs a click handler with the button disabled and any failure shown by its problem code.
function action(handler) {
  return async (event) => {
    const button = event.submitter ?? event.currentTarget;
    event.preventDefault();
    show('');
    button.disabled = true;
    try {
      await handler(event);
    } catch (error) {
      show(describe(error));
    } finally {
      button.disabled = false;
    }
  };
}

// Revoking another session and logging out everywhere need a recent login: ask for the password, log in again, retry.
async function withRecentLogin(task) {
  try {
    return await task();
  } catch (error) {
    if (error.code !== 'reauthentication_required') {
      throw error;
    }

    const answer = await askPassword();
    if (answer === null) {
      return undefined;
    }

    // Note: logging in again starts a new session; the one it replaces would otherwise linger in the list until it expires.
    const replaced = auth.session.sessionId;
    const result = await auth.login(auth.session.username, answer.password);
    if (result.secondFactorRequired) {
      await auth.completeSecondFactor({ code: answer.code });
    }

    const outcome = await task();
    if (auth.session) {
      await auth.revokeSession(replaced).catch(() => {});
    }

    return outcome;
  }
}

function askPassword() {
  const dialog = $('reauth');
  const password = dialog.querySelector('[name=password]');
  const code = dialog.querySelector('[name=code]');
  password.value = '';
  code.value = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm' ? { password: password.value, code: code.value } : null), { once: true });
  });
}

async function loadSessions() {
  const sessions = await auth.sessions();
  $('sessions').replaceChildren(...sessions.map((session) => {
    const item = document.createElement('li');
    const text = document.createElement('div');
    const title = document.createElement('div');
    title.textContent = summariseAgent(session.userAgent);
    if (session.current) {
      const current = document.createElement('span');
      current.className = 'current';
      current.textContent = ' \u00b7 this browser';
      title.append(current);
    }

    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `signed in ${new Date(session.createdAt).toLocaleString()} \u00b7 last active ${new Date(session.lastSeenAt).toLocaleString()}${session.ipAddress ? ` \u00b7 ${session.ipAddress}` : ''}`;
    text.append(title, meta);

    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'danger';
    revoke.textContent = session.current ? 'Log out' : 'Revoke';
    revoke.dataset.sessionId = session.id;
    revoke.addEventListener('click', action(async () => {
      await withRecentLogin(() => auth.revokeSession(session.id));
      if (auth.session) {
        await loadSessions();
      }
    }));
    item.append(text, revoke);
    return item;
  }));
}

async function loadFactors() {
  await Promise.all([loadPasskeys(), loadTotpStatus()]);
}

async function loadPasskeys() {
  const passkeys = await auth.listPasskeys();
  $('passkeys').replaceChildren(...passkeys.map((passkey) => {
    const item = document.createElement('li');
    const text = document.createElement('div');
    const title = document.createElement('div');
    title.textContent = passkey.name;
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `added ${new Date(passkey.createdAt).toLocaleString()} \u00b7 ${passkey.lastUsedAt ? `last used ${new Date(passkey.lastUsedAt).toLocaleString()}` : 'never used'}`;
    text.append(title, meta);

    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger';
    remove.textContent = 'Delete';
    remove.dataset.passkeyId = passkey.id;
    remove.addEventListener('click', action(async () => {
      await withRecentLogin(() => auth.deletePasskey(passkey.id));
      await loadPasskeys();
    }));
    item.append(text, remove);
    return item;
  }));
}

async function loadTotpStatus() {
  const status = await auth.secondFactorStatus();
  $('totp-status').textContent = status.totp
    ? `On. ${status.recoveryCodesLeft} recovery codes left. Logins with your password also ask for a code.`
    : 'Off. Logins need only your password.';
  $('totp-enrol').hidden = status.totp;
  $('totp-disable').hidden = !status.totp;
}

function summariseAgent(userAgent) {
  if (!userAgent) {
    return 'Unknown device';
  }

  const browser = /(Edg|Firefox|Chrome|Safari)\/[\d.]+/.exec(userAgent)?.[0] ?? 'Browser';
  const system = /\(([^;)]+)/.exec(userAgent)?.[1] ?? '';
  return system ? `${browser} on ${system}` : browser;
}

$('login-form').addEventListener('submit', action(async (event) => {
  const form = event.currentTarget;
  const { username, password } = Object.fromEntries(new FormData(form));
  // Note: this page treats anything with an "@" as an email address; your own page may offer two fields instead.
  const byEmail = username.includes('@');
  if (event.submitter?.value === 'register') {
    // The API answers 202 whether or not the name was free; a taken name shows up as a failed login.
    await (byEmail ? auth.registerWithEmail(username, password) : auth.register(username, password));
    if (byEmail) {
      form.reset();
      show('Check your inbox: open the link we sent you, then log in.', 'info');
      return;
    }
  }

  const result = await (byEmail ? auth.loginWithEmail(username, password) : auth.login(username, password));
  form.reset();
  // Note: an account with an authenticator app gets a pending sign-in, finished by the code form below.
  $('second-factor-form').hidden = !result.secondFactorRequired;
}));

// Passkeys and second factors (issue 16).
$('second-factor-form').addEventListener('submit', action(async (event) => {
  const form = event.currentTarget;
  const { code } = Object.fromEntries(new FormData(form));
  try {
    await auth.completeSecondFactor(event.submitter?.value === 'recovery' ? { recoveryCode: code } : { code });
  } catch (error) {
    form.hidden = error.code === 'second_factor_expired';
    throw error;
  }

  form.reset();
  form.hidden = true;
  if (event.submitter?.value === 'recovery') {
    show('Signed in with a recovery code: it is used up, and every other session was logged out.', 'info');
  }
}));

$('passkey-login').addEventListener('click', action(async () => {
  $('second-factor-form').hidden = true;
  await auth.signInWithPasskey();
}));

// External sign-in (issue 17): a "Sign in with …" button per provider the API offers.
async function loadProviders() {
  const providers = await auth.externalProviders();
  $('providers').replaceChildren(...providers.map((provider) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = `Sign in with ${provider.displayName}`;
    button.dataset.provider = provider.name;
    button.addEventListener('click', () => auth.signInWithProvider(provider));
    return button;
  }));
  $('providers').hidden = providers.length === 0;
}

// Back from a provider: bearer mode exchanges its one-time code; ?error= becomes a message; TOTP asks for the code.
async function completeExternalSignIn() {
  try {
    const result = await auth.completeExternalSignIn();
    $('second-factor-form').hidden = !result?.secondFactorRequired;
  } catch (error) {
    show(describe(error));
  }
}

$('passkey-form').addEventListener('submit', action(async (event) => {
  const { name } = Object.fromEntries(new FormData(event.currentTarget));
  if (await withRecentLogin(() => auth.registerPasskey(name))) {
    show(`Passkey \u201c${name}\u201d added. You can now sign in with it alone.`, 'info');
  }

  await loadPasskeys();
}));

$('totp-enrol').addEventListener('click', action(async () => {
  const setup = await withRecentLogin(() => auth.enrolTotp());
  if (!setup) {
    return;
  }

  $('totp-qr').src = setup.qrCode;
  $('totp-secret').textContent = setup.secret;
  $('recovery-codes').hidden = true;
  $('totp-confirm-form').hidden = false;
}));

$('totp-confirm-form').addEventListener('submit', action(async (event) => {
  const form = event.currentTarget;
  const { code } = Object.fromEntries(new FormData(form));
  const codes = await withRecentLogin(() => auth.confirmTotp(code));
  if (!codes) {
    return;
  }

  form.reset();
  form.hidden = true;
  $('totp-secret').textContent = '';
  $('totp-qr').removeAttribute('src');
  $('recovery-code-list').replaceChildren(...codes.map((recoveryCode) => {
    const item = document.createElement('li');
    item.textContent = recoveryCode;
    return item;
  }));
  $('recovery-codes').hidden = false;
  await loadTotpStatus();
}));

$('totp-disable').addEventListener('click', action(async () => {
  await withRecentLogin(() => auth.disableTotp());
  $('recovery-codes').hidden = true;
  await loadTotpStatus();
  await loadSessions();
}));

$('forgot-form').addEventListener('submit', action(async (event) => {
  const form = event.currentTarget;
  const { email } = Object.fromEntries(new FormData(form));
  // Note: the API answers 202 for every address, so the page cannot (and does not) say whether it has an account.
  await (event.submitter?.value === 'verify' ? auth.requestEmailVerification(email) : auth.requestPasswordReset(email));
  form.reset();
  show(`If an account uses ${email}, a link is on its way. It works once, for a limited time.`, 'info');
}));

// The reset link's token, held in memory only: the fragment it came in is removed from the address bar at once.
let resetToken = null;

$('reset-form').addEventListener('submit', action(async (event) => {
  const form = event.currentTarget;
  const { newPassword } = Object.fromEntries(new FormData(form));
  await auth.resetPassword(resetToken, newPassword);
  resetToken = null;
  form.reset();
  $('reset').hidden = true;
  show('Password changed, and every session logged out. Log in with the new password.', 'info');
}));

$('email-form').addEventListener('submit', action(async (event) => {
  const form = event.currentTarget;
  const { newEmail } = Object.fromEntries(new FormData(form));
  await withRecentLogin(() => auth.changeEmail(newEmail));
  form.reset();
  show(`Open the link we sent to ${newEmail} to finish the change.`, 'info');
}));

/**
 * Completes the flow a mail link started (`#action=...&token=...`), after taking the token out of the address bar so
 * that it stays out of the history, bookmarks and anything shared from this page.
 */
async function completeLink() {
  const link = new URLSearchParams(location.hash.slice(1));
  const token = link.get('token');
  if (!link.has('action') || !token) {
    return;
  }

  history.replaceState(null, '', location.pathname + location.search);
  try {
    switch (link.get('action')) {
      case 'reset-password':
        resetToken = token;
        $('reset').hidden = false;
        $('reset-form').querySelector('input').focus();
        break;
      case 'verify-email':
        await auth.verifyEmail(token);
        show('Your email address is confirmed. You can log in now.', 'info');
        break;
      case 'confirm-email-change':
        await auth.confirmEmailChange(token);
        show('Your email address has been changed.', 'info');
        break;
      default:
        break;
    }
  } catch (error) {
    show(describe(error));
  }
}

$('whoami').addEventListener('click', action(async () => {
  const session = await auth.validate();
  $('whoami-result').textContent = session ? JSON.stringify(session, null, 2) : 'Not signed in.';
}));

$('reload-sessions').addEventListener('click', action(loadSessions));
$('logout').addEventListener('click', action(() => auth.logout()));
$('logout-all').addEventListener('click', action(() => withRecentLogin(() => auth.logoutAll())));

$('password-form').addEventListener('submit', action(async (event) => {
  const form = event.currentTarget;
  const { currentPassword, newPassword } = Object.fromEntries(new FormData(form));
  await auth.changePassword(currentPassword, newPassword);
  form.reset();
  show('Password changed. Every other session has been logged out.', 'info');
}));

$('protected-url').textContent = protectedUrl;
$('call-protected').addEventListener('click', action(async () => {
  const result = $('protected-result');
  result.textContent = '';
  let response;
  try {
    response = await auth.fetch(protectedUrl);
  } catch (error) {
    result.textContent = `Could not reach ${protectedUrl} (is samples/ProtectedApi running?)`;
    throw error;
  }

  const body = await response.text();
  result.textContent = response.ok ? JSON.stringify(JSON.parse(body), null, 2) : `HTTP ${response.status} ${body}`;
}));

auth.onChange((session, { reason, fromOtherTab }) => {
  // Note: only a session this page has shown can end. A first visit (or a signed-out visitor asking who they are) also
  // gets "no session" from the client, and sees the neutral signed-out state, not the session-ended banner.
  const ended = !session && typeof renderedSessionId === 'string';
  render(session);
  if (ended && fromOtherTab) {
    show('You were logged out in another tab.', 'info');
  } else if (ended && (reason === 'expired' || reason === 'revoked')) {
    show(MESSAGES.invalid_token);
  }
});

// Note: a server without external providers (or an older one) simply shows no buttons.
loadProviders().catch(() => {});
completeExternalSignIn().then(() => auth.restore()).then(render, (error) => {
  render(null);
  show(describe(error));
}).then(completeLink);
