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
  network_error: 'The server could not be reached.',
};

function describe(error) {
  if (error.code === 'password_too_short' || error.code === 'password_too_long') {
    return `That password is not acceptable. ${error.detail ?? ''}`.trim();
  }

  const text = MESSAGES[error.code] ?? error.title ?? String(error);
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
  } else {
    $('sessions').replaceChildren();
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

    const password = await askPassword();
    if (password === null) {
      return undefined;
    }

    // Note: logging in again starts a new session; the one it replaces would otherwise linger in the list until it expires.
    const replaced = auth.session.sessionId;
    await auth.login(auth.session.username, password);
    const result = await task();
    if (auth.session) {
      await auth.revokeSession(replaced).catch(() => {});
    }

    return result;
  }
}

function askPassword() {
  const dialog = $('reauth');
  const input = dialog.querySelector('input');
  input.value = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm' ? input.value : null), { once: true });
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
  if (event.submitter?.value === 'register') {
    // The API answers 202 whether or not the name was free; a taken name shows up as a failed login.
    await auth.register(username, password);
  }

  await auth.login(username, password);
  form.reset();
}));

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

auth.restore().then(render, (error) => {
  render(null);
  show(describe(error));
});
