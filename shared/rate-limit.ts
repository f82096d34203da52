// Fixed-window rate limits whose counters live in the database, so they hold across function
// instances. Every limit of a request is counted in parallel (one round trip).
import { config } from './config';
import type { HandlerContext } from './context';
import { AppError } from './errors/app-error';

export interface LimitKey {
  scope: string;
  key: string;
  limit: number;
}

export function callerLimit(scope: string, key: string): LimitKey {
  return { scope, key, limit: config('rateLimit').RATE_LIMIT_PER_CALLER };
}

export function ipLimit(scope: string, ip: string | undefined): LimitKey[] {
  return ip ? [{ scope: `${scope}:ip`, key: ip, limit: config('rateLimit').RATE_LIMIT_PER_IP }] : [];
}

export async function enforceRateLimits(ctx: HandlerContext, keys: readonly LimitKey[]): Promise<void> {
  if (keys.length === 0) return;
  const windowMs = config('rateLimit').RATE_LIMIT_WINDOW_SECONDS * 1000;
  const now = ctx.now();
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  const ends = new Date(start + windowMs);
  const counts = await Promise.all(keys.map((k) => ctx.rateLimits.hit(`${k.scope}:${k.key.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 128)}:${start}`, ends, now)));
  if (counts.some((count, i) => count > (keys[i] as LimitKey).limit)) throw new AppError('TOO_MANY_REQUESTS', 'too many requests, try again later');
}
