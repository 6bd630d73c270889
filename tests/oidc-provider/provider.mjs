// A real OpenID Provider (npm oidc-provider) for the integration and browser tests, on a free loopback port.
// Usage: node provider.mjs --redirect-uri URI [--redirect-uri URI ...] [--port PORT]
// Prints "issuer http://127.0.0.1:PORT" once it answers (PORT: a free one unless --port names it; the browser tests
// name one so the self-host can be configured with the issuer before the test starts the provider). Its dev interactions show a login form that accepts any login
// with any password; the login becomes the subject, with the address LOGIN@example.test (email_verified false for
// logins starting with "unverified").
// Clients (secret = client id + "-secret", client_secret_post, PKCE required):
//   funcsessions                 a well-behaved client
//   funcsessions-other-audience  its ID tokens are re-signed for another audience
//   funcsessions-stale-key       its ID tokens are re-signed with the key retired by the last rotation
// POST /test/rotate-keys replaces the signing key (the JWKS then has the new key only) and answers its kid.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from 'jose';

const values = (name) => process.argv.flatMap((arg, i) => (arg === name ? [process.argv[i + 1]] : []));
const redirectUris = values('--redirect-uri');
const port = Number(values('--port').at(-1) ?? 0);
if (redirectUris.length === 0 || !Number.isInteger(port)) {
  console.error('usage: node provider.mjs --redirect-uri URI [--redirect-uri URI ...] [--port PORT]');
  process.exit(2);
}

const clientIds = ['funcsessions', 'funcsessions-other-audience', 'funcsessions-stale-key'];

async function newSigningKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function configuration(signingKey) {
  return {
    clients: clientIds.map((id) => ({
      client_id: id,
      client_secret: `${id}-secret`,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [signingKey] },
    pkce: { required: () => true },
    // Note: five minutes, so a test can move FuncSessions' clock past an ID token's expiry while its sign-in is still live.
    ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
    // Note: the scope claims (email, name) in the ID token itself, as Entra ID and Google put them.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: [randomUUID()] },
    findAccount: (ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.test`, email_verified: !id.startsWith('unverified'), name: id }),
    }),
  };
}

let current = await newSigningKey();
let retired = null;
let provider;

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/test/rotate-keys') {
    rotate().then((kid) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(kid); });
    return;
  }

  provider.callback()(req, res);
});
server.listen(port, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

async function build() {
  const built = new Provider(issuer, configuration(current));
  // Note: the misbehaving clients get their ID token re-signed here, after the token endpoint answered.
  built.use(async (ctx, next) => {
    await next();
    const clientId = ctx.oidc?.client?.clientId;
    if (ctx.oidc?.route !== 'token' || !ctx.body?.id_token || clientId === 'funcsessions') {
      return;
    }

    const claims = decodeJwt(ctx.body.id_token);
    const key = clientId === 'funcsessions-stale-key' ? (retired ?? current) : current;
    if (clientId === 'funcsessions-other-audience') {
      claims.aud = 'someone-else';
    }

    ctx.body = {
      ...ctx.body,
      id_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(await importJWK(key, 'RS256')),
    };
  });
  return built;
}

async function rotate() {
  retired = current;
  current = await newSigningKey();
  // Note: the in-memory adapter's storage is shared, so interactions and codes survive the new instance.
  provider = await build();
  return current.kid;
}

provider = await build();
console.log(`issuer ${issuer}`);
