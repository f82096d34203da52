// The request target as a URL, and path segments decoded, without throwing on what a client sends.
import type { IncomingMessage } from 'node:http';

/**
 * The URL of an origin-form request target (`/path?query`); undefined for anything else
 * (`*`, an absolute or authority form, `//host`-like paths a URL parser would read as a host).
 */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://emulator.local${target}`);
  } catch {
    return undefined;
  }
}

/** decodeURIComponent, or undefined for a malformed percent-encoding (`%`, `%E0%A4%A`). */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
