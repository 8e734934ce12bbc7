// A real OpenID provider for the tests: the npm package oidc-provider on loopback, with one
// client for the server under test, its development login and consent pages, and a hook that
// can rewrite the ID token the token endpoint returns (to test the server's refusals with tokens
// signed by the provider's own key, or by a stranger's).
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Provider from 'oidc-provider';
import * as jose from 'jose';

// The provider listens at once (its issuer URL goes into the server's configuration); its
// client is registered once the server's own URL, and so the redirect URI, is known.
// `authMethod`: how the client authenticates at the token endpoint; with 'client_secret_post' the
// provider offers only that method.
export async function startProvider({ clientId = 'aimoviez-test', clientSecret = 'test-secret-0123456789', authMethod = 'client_secret_basic' } = {}) {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'provider-key', alg: 'RS256', use: 'sig' };

  // Every account's profile picture: a small PNG, served beside the provider.
  const work = mkdtempSync(join(tmpdir(), 'oidc-picture-'));
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=orange:s=96x64', '-frames:v', '1', join(work, 'p.png')]);
  const picture = readFileSync(join(work, 'p.png'));
  rmSync(work, { recursive: true, force: true });

  let handler = (req, res) => { res.writeHead(503); res.end(); };
  server.on('request', (req, res) => {
    if (req.url === '/picture.png') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': picture.length });
      return res.end(picture);
    }
    return handler(req, res);
  });
  let tamper = null;

  function register(redirectUris) {
    const provider = new Provider(issuer, {
      clients: [{
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: authMethod,
      }],
      jwks: { keys: [signingJwk] },
      clientAuthMethods: [authMethod],
      cookies: { keys: ['oidc-test-cookie-key'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'picture'] },
      // Every account exists; its login name is its subject.
      findAccount: async (ctx, sub) => ({
        accountId: sub,
        claims: async () => ({ sub, email: `${sub}@example.com`, email_verified: true, name: `Test ${sub}`, picture: `${issuer}/picture.png` }),
      }),
      // Claims go into the ID token itself, as Google's do.
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
      features: { devInteractions: { enabled: true } },
    });
    provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));

    provider.use(async (ctx, next) => {
      await next();
      if (tamper && ctx.path === '/token' && ctx.body?.id_token) {
        ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token) };
      }
    });
    handler = provider.callback();
  }

  return {
    issuer,
    register,
    clientId,
    clientSecret,
    // `fn(idToken) → idToken` rewrites the next token answers until cleared with null.
    setTamper(fn) { tamper = fn; },
    // Re-signs changed claims with the provider's own key (a token it could have issued).
    async resign(idToken, change, { key = privateKey, kid = 'provider-key' } = {}) {
      const claims = { ...jose.decodeJwt(idToken), ...change };
      return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
    },
    async strangerKey() {
      return (await jose.generateKeyPair('RS256')).privateKey;
    },
    async close() {
      server.closeAllConnections?.();
      server.close();
      await once(server, 'close');
    },
  };
}

// Cookie-keeping manual redirects against the provider, as a browser would follow them.
class Jar {
  constructor() { this.cookies = new Map(); }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  absorb(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq), value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

// Logs `login` in at the provider and consents, starting from the authorization URL the server
// redirected to; returns the callback URL the provider sends the browser back to.
export async function loginAtProvider(authorizationUrl, login) {
  const jar = new Jar();
  let url = authorizationUrl;
  let method = 'GET';
  let body;
  for (let hop = 0; hop < 20; hop++) {
    const headers = { cookie: jar.header() };
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.absorb(res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), url).toString();
      if (next.includes('/api/auth/callback/')) return next;
      url = next; method = 'GET'; body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    if (!action || !prompt) throw new Error(`no form on the provider's page: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt }).toString();
  }
  throw new Error('too many redirects at the provider');
}
