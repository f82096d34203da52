// What storage puts in response headers, made safe to write. node's writeHead throws on a header
// value outside Latin-1 or holding CR/LF, so a raw key (`avatars/…/头像.png`) in Location reset the
// connection after the file was stored, and a form's stored content-type field broke every
// download of that file. COS itself answers with keys percent-encoded in headers (COS API, "POST
// Object", response header Location: the object's URL), and a Content-Type must be a media type
// (RFC 9110 §8.3.1: type "/" subtype *( OWS ";" OWS parameter )).

/** A cloud path as a URL path: each segment percent-encoded, the slashes kept (`100%.png` → `100%25.png`). */
export function encodeKey(cloudPath: string): string {
  return cloudPath.split('/').map(encodeURIComponent).join('/');
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t \\x21-\\x7e])*"))*$`);

/** The value when it is a well-formed media type (at most 256 characters), else undefined. */
export function mediaType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length <= 256 && MEDIA_TYPE.test(trimmed) ? trimmed : undefined;
}

/** The type a stored file is served with: its stored type, or application/octet-stream when that is not a media type. */
export const servedType = (stored: string): string => mediaType(stored) ?? 'application/octet-stream';
