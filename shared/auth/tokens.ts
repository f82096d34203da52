// API tokens: HS256 JWTs (jose) carrying the user's document id and token version. A token is
// invalid when expired, badly signed, of another algorithm, or older than the user's token version
// (logout bumps it).
import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { AppError } from '../errors/app-error';

const ALGORITHM = 'HS256';
const ISSUER = 'cloudbase-miniprogram-backend';

export interface TokenClaims {
  userId: string;
  version: number;
}

const key = () => new TextEncoder().encode(config('token').TOKEN_SECRET);
// jose is loaded on first use: it is a large module and only token operations need it.
const jose = () => import('jose');

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

/** The claims of a valid token; UNAUTHORIZED otherwise (the user's current version is checked by the caller). */
export async function verifyToken(token: string, now: Date): Promise<TokenClaims> {
  const { jwtVerify } = await jose();
  // Outside the try: a missing TOKEN_SECRET is a configuration error, not an invalid token.
  const secret = key();
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, currentDate: now });
    if (typeof payload.sub !== 'string' || typeof payload.ver !== 'number') throw new Error('malformed claims');
    return { userId: payload.sub, version: payload.ver };
  } catch {
    throw new AppError('UNAUTHORIZED', 'token is missing, invalid or expired');
  }
}
