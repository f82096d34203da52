// Reading a token's parts without verifying it (RFC 7519: base64url JSON header and payload), for
// tests that check whose token it is or forge one.
export const base64urlJson = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The decoded payload ({} for anything that is not a JWT). */
export function jwtPayload(token: string | undefined): Record<string, unknown> {
  const part = (token ?? '').split('.')[1];
  if (!part) return {};
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Whose token it is: the payload's `sub` (the users document's _id). */
export const jwtSub = (token: string | undefined): unknown => jwtPayload(token).sub;
