// An in-memory stand-in for the FuncSessions HTTP API with its token semantics (rotation, a grace window in
// which the parent token yields the same successor, reuse detection), so the client's refresh logic can be
// tested without a browser. The real API is exercised by the browser tests in tests/browser.

export function createFakeApi({ transport = 'cookie', origin = 'https://api.test' } = {}) {
  const sessions = new Map();
  const liveAccessTokens = new Map();
  const counters = { rotations: 0, refreshCalls: 0, graceJoins: 0, validateCalls: 0 };
  // The one link token the email routes accept, as if read from a mail.
  const linkToken = 'link-token-from-the-mail';
  // Second factors: users with TOTP on (code '123456', recovery code 'AAAA-BBBB'), pending sign-ins, passkeys.
  const totpUsers = new Set();
  const pendingSecondFactors = new Map();
  const passkeys = new Map();
  // External sign-in: one provider, and the one-time codes its callback handed out (bearer mode), by username.
  const signInCodes = new Map();
  let next = 0;

  const problem = (status, code) => json(status, { type: 'about:blank', title: code, status, code }, 'application/problem+json');

  function issue(session) {
    const accessToken = `at-${++next}`;
    const refreshToken = `rt-${session.id}-${next}`;
    liveAccessTokens.set(accessToken, session.id);
    return { accessToken, refreshToken };
  }

  function deliver(jar, session, tokens) {
    if (transport === 'cookie') {
      jar.at = tokens.accessToken;
      jar.rt = tokens.refreshToken;
      jar.present = '1';
    }

    const body = { userId: session.userId, username: session.username, sessionId: session.id, expiresAt: 'x', absoluteExpiresAt: 'x' };
    return json(200, transport === 'cookie' ? body : { ...body, tokenType: 'Bearer', ...tokens });
  }

  function currentSession(cookies, headers) {
    const authorization = headers.get('Authorization');
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : transport === 'cookie' ? cookies.at : undefined;
    const session = sessions.get(liveAccessTokens.get(token));
    return session ?? null;
  }

  function signIn(jar, username) {
    const session = { id: `s${++next}`, userId: 'u1', username, refreshToken: null, parent: null, successor: null, data: 1 };
    const tokens = issue(session);
    session.refreshToken = tokens.refreshToken;
    sessions.set(session.id, session);
    return deliver(jar, session, tokens);
  }

  function pendingFor(username) {
    const token = `2fa-${++next}`;
    pendingSecondFactors.set(token, username);
    return token;
  }

  // `cookies` are the jar's values when the request was sent, as a browser attaches them; responses update `jar`.
  async function handle(jar, cookies, request) {
    // Note: every response takes a turn of the event loop, as a network round trip would.
    await new Promise((resolve) => setImmediate(resolve));
    const url = new URL(request.url);
    const body = request.method === 'GET' || request.method === 'DELETE' ? {} : await request.json().catch(() => ({}));
    const route = `${request.method} ${url.pathname}`;
    api.log.push(route);
    api.bodies.push({ route, body });

    switch (true) {
      case route === 'POST /api/auth/register':
      case route === 'POST /api/auth/email/verify/request':
      case route === 'POST /api/auth/password/reset/request':
        return new Response(null, { status: 202 });
      case route === 'POST /api/auth/email/verify':
      case route === 'POST /api/auth/email/change/confirm':
        return body.token === linkToken ? new Response(null, { status: 204 }) : problem(400, 'invalid_link');
      case route === 'POST /api/auth/password/reset':
        if (body.token !== linkToken) {
          return problem(400, 'invalid_link');
        }

        // Note: as the API does, a reset ends every session of the account.
        sessions.clear();
        expireCookies(jar);
        return new Response(null, { status: 204 });
      case route === 'POST /api/auth/email/change':
        return currentSession(cookies, request.headers) ? new Response(null, { status: 202 }) : problem(401, 'invalid_token');
      case route === 'POST /api/auth/login': {
        if (body.password !== 'correct horse battery staple') {
          return problem(401, 'invalid_credentials');
        }

        const name = body.username ?? body.email;
        if (totpUsers.has(name)) {
          const token = `2fa-${++next}`;
          pendingSecondFactors.set(token, name);
          if (transport === 'cookie') {
            jar.secondFactor = token;
          }

          return json(401, {
            status: 401, code: 'second_factor_required', methods: ['totp', 'recovery_code'], expiresAt: '2030-01-01T00:00:00Z',
            secondFactorToken: transport === 'cookie' ? null : token,
          }, 'application/problem+json');
        }

        return signIn(jar, name);
      }
      case route === 'POST /api/auth/login/second-factor': {
        const token = transport === 'cookie' ? cookies.secondFactor : body.secondFactorToken;
        const username = pendingSecondFactors.get(token);
        if (!username) {
          return problem(401, 'second_factor_expired');
        }

        if (body.code !== '123456' && body.recoveryCode !== 'AAAA-BBBB') {
          return problem(401, 'invalid_code');
        }

        pendingSecondFactors.delete(token);
        delete jar.secondFactor;
        return signIn(jar, username);
      }
      case route === 'POST /api/auth/second-factor/totp':
        return currentSession(cookies, request.headers)
          ? json(200, { secret: 'JBSWY3DPEHPK3PXP', otpAuthUri: 'otpauth://totp/x', qrCode: 'data:image/svg+xml;base64,' })
          : problem(401, 'invalid_token');
      case route === 'POST /api/auth/second-factor/totp/confirm': {
        const session = currentSession(cookies, request.headers);
        if (body.code !== '123456') {
          return problem(401, 'invalid_code');
        }

        totpUsers.add(session.username);
        return json(200, { recoveryCodes: ['AAAA-BBBB'] });
      }
      case route === 'POST /api/auth/passkeys/register/options':
        return json(200, {
          challengeToken: 'reg-challenge',
          options: { challenge: 'AQID', user: { id: 'dTE', name: 'alice' }, excludeCredentials: [{ type: 'public-key', id: '_w' }] },
        });
      case route === 'POST /api/auth/passkeys/register': {
        const passkey = { id: body.credential.id, name: body.name, credential: body.credential, challengeToken: body.challengeToken };
        passkeys.set(passkey.id, passkey);
        return json(201, { id: passkey.id, name: passkey.name });
      }
      case route === 'POST /api/auth/passkeys/login/options':
        return json(200, { challengeToken: 'login-challenge', options: { challenge: 'BAUG', allowCredentials: [] } });
      case route === 'POST /api/auth/passkeys/login':
        api.lastAssertion = body;
        return passkeys.has(body.credential.id) ? signIn(jar, 'alice') : problem(401, 'invalid_passkey');
      case route === 'GET /api/auth/passkeys':
        return json(200, { passkeys: [...passkeys.values()].map(({ id, name }) => ({ id, name })) });
      case request.method === 'DELETE' && url.pathname.startsWith('/api/auth/passkeys/'):
        passkeys.delete(decodeURIComponent(url.pathname.slice('/api/auth/passkeys/'.length)));
        return new Response(null, { status: 204 });
      case route === 'GET /api/auth/oauth/providers':
        return json(200, { providers: [{ name: 'local', displayName: 'Local OpenID provider', startUrl: '/api/auth/oauth/local/start' }] });
      case route === 'POST /api/auth/oauth/exchange': {
        const username = signInCodes.get(body.code);
        signInCodes.delete(body.code);
        if (!username) {
          return problem(401, 'invalid_signin_code');
        }

        return totpUsers.has(username)
          ? json(401, { status: 401, code: 'second_factor_required', methods: ['totp'], expiresAt: 'x', secondFactorToken: pendingFor(username) },
            'application/problem+json')
          : signIn(jar, username);
      }
      case route === 'GET /api/auth/validate': {
        counters.validateCalls++;
        const session = currentSession(cookies, request.headers);
        return session
          ? json(200, { userId: session.userId, username: session.username, sessionId: session.id, data: session.data })
          : problem(401, 'invalid_token');
      }
      case route === 'POST /api/auth/refresh': {
        counters.refreshCalls++;
        await api.refreshGate;
        const presented = transport === 'cookie' ? cookies.rt : body.refreshToken;
        const session = presented && [...sessions.values()].find((s) => s.refreshToken === presented || s.parent === presented);
        if (!session) {
          expireCookies(jar);
          return problem(401, 'invalid_refresh_token');
        }

        if (session.parent === presented) {
          counters.graceJoins++;
          return deliver(jar, session, session.successor);
        }

        const tokens = issue(session);
        session.parent = presented;
        session.refreshToken = tokens.refreshToken;
        session.successor = tokens;
        counters.rotations++;
        return deliver(jar, session, tokens);
      }
      case route === 'POST /api/auth/logout': {
        const session = currentSession(cookies, request.headers);
        if (session) {
          sessions.delete(session.id);
        }

        expireCookies(jar);
        return new Response(null, { status: 204 });
      }
      case url.pathname === '/data': {
        const session = currentSession(cookies, request.headers);
        if (!session) {
          return problem(401, 'invalid_token');
        }

        const headers = url.searchParams.has('change') ? { 'X-Revalidate-Session': 'true' } : {};
        if (url.searchParams.has('change')) {
          session.data++;
        }

        return json(200, { sessionId: session.id }, 'application/json', headers);
      }
      default:
        return problem(404, 'not_found');
    }
  }

  const api = {
    origin,
    counters,
    log: [],
    /** Every request's route and JSON body, in order. */
    bodies: [],
    linkToken,
    passkeys,
    lastAssertion: null,
    refreshGate: null,
    /**
     * A fetch for one browser: tabs of the same browser share its cookie jar. `document.cookie` shows what script on
     * the API's host could read: the presence hint only (the token cookies are HttpOnly).
     */
    browser() {
      const jar = {};
      const fetch = (input, init) =>
        handle(jar, { ...jar }, input instanceof Request ? new Request(input, init) : new Request(new URL(String(input), origin), init));
      const document = {
        get cookie() {
          return jar.present ? `__Host-fs-present=${jar.present}` : '';
        },
      };
      return { jar, fetch, document };
    },
    /** A one-time code as an external sign-in's callback hands it to the page in bearer mode. */
    issueSignInCode(username) {
      const code = `signin-${++next}`;
      signInCodes.set(code, username);
      return code;
    },
    /** Turns TOTP on for `username`, as if enrolled. */
    enableTotp(username) {
      totpUsers.add(username);
    },
    /** Every access token issued so far stops verifying, as if their lifetime had passed. */
    expireAccessTokens() {
      liveAccessTokens.clear();
    },
    /** Holds refresh responses until the returned function is called. */
    holdRefreshes() {
      let release;
      api.refreshGate = new Promise((resolve) => { release = resolve; });
      return () => {
        api.refreshGate = null;
        release();
      };
    },
    /** Ends every session on the server, as a revocation from elsewhere would. */
    revokeAll() {
      sessions.clear();
    },
  };
  return api;
}

/** A minimal Web Locks LockManager for one process: exclusive locks granted in request order. */
export function createLockManager() {
  const tails = new Map();
  return {
    async request(name, callback) {
      const previous = tails.get(name) ?? Promise.resolve();
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      tails.set(name, previous.then(() => held));
      await previous;
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        release();
      }
    },
  };
}

function expireCookies(jar) {
  delete jar.at;
  delete jar.rt;
  delete jar.present;
}

function json(status, body, type = 'application/json', headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } });
}
