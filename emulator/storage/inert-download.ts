// Headers that keep a stored file inert when a browser opens its download URL. Production serves
// storage from its own domain (<env>.tcb.qcloud.la), so a file's scripts run in an origin with
// nothing to steal; the emulator serves files on its own port, next to the console and
// /_emulator/cloud-credentials. So every download says:
// - X-Content-Type-Options: nosniff: the browser uses the stored type, never guesses HTML;
// - Content-Security-Policy: sandbox: if a document does render, it gets an opaque origin, with
//   scripts off and no access to the emulator's origin (CSP Level 2 §7.14, HTML "sandboxing flags");
// - Content-Disposition: attachment (RFC 6266) for every type a browser could run (HTML, SVG, XML,
//   scripts, anything not on the list of plain media below): the browser saves it instead.
// docs/security.md says why this and not a second port.

/** Types a browser only displays (never runs), so a mini-program's <image> or <video> still shows them inline. */
const DISPLAY_ONLY = /^(?:image\/(?:png|jpeg|gif|webp|avif|bmp|heic|heif|x-icon|vnd\.microsoft\.icon)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|text\/plain|text\/csv|application\/json)$/;

/** RFC 6266 / RFC 8187: an ASCII fallback name and the UTF-8 name percent-encoded. */
function attachment(cloudPath: string): string {
  const name = cloudPath.slice(cloudPath.lastIndexOf('/') + 1);
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export function inertDownloadHeaders(contentType: string, cloudPath: string): Record<string, string> {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return {
    'x-content-type-options': 'nosniff',
    'content-security-policy': 'sandbox',
    ...(DISPLAY_ONLY.test(mediaType) ? {} : { 'content-disposition': attachment(cloudPath) }),
  };
}
