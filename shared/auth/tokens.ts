// API tokens: HS256 JWTs (jose) carrying the user's document id and token version. A token is
// invalid when expired, badly signed, of another algorithm, or older than the user's token version
// (logout bumps it).
import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { AppError } from '../errors/app-error';
import { ensureWebCrypto } from '../platform';

const ALGORITHM = 'HS256';
const ISSUER = 'cloudbase-miniprogram-backend';

export interface TokenClaims {
  userId: string;
  version: number;
}

const key = () => new TextEncoder().encode(config('token').TOKEN_SECRET);
// jose is loaded on first use: it is a large module and only token operations need it. It uses the
// global Web Crypto, which older runtimes lack.
const jose = () => {
  ensureWebCrypto();
  return import('jose');
};

export async function issueToken(claims: TokenClaims, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const { SignJWT } = await jose();
  return new SignJWT({ ver: claims.version })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + config('token').TOKEN_TTL_SECONDS)
    .sign(key());
}

const invalidToken = () => new AppError('UNAUTHORIZED', 'token is missing, invalid or expired');

/**
 * The claims of a valid token; UNAUTHORIZED for a token fault (one of jose's own errors, or claims
 * of the wrong shape). Any other failure (no Web Crypto, a bad key) is not the caller's fault: it is
 * rethrown, so the router answers INTERNAL and logs it. The user's current version is checked by the caller.
 */
export async function verifyToken(token: string, now: Date): Promise<TokenClaims> {
  const { jwtVerify, errors } = await jose();
  const secret = key();
  let payload;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, currentDate: now }));
  } catch (err) {
    if (err instanceof errors.JOSEError) throw invalidToken();
    throw err;
  }
  if (typeof payload.sub !== 'string' || typeof payload.ver !== 'number') throw invalidToken();
  return { userId: payload.sub, version: payload.ver };
}
