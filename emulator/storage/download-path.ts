// Which cloud path a download URL names. Temporary URLs carry each path segment percent-encoded
// (header-values.ts encodeKey). The server SDK's downloadFile applies encodeURI to the whole URL
// before fetching it (@cloudbase/node-sdk 3.17.2 dist/storage/index.js, downloadFile), which
// CloudBase's own readable URLs need, so on that path the segments arrive encoded twice. The path
// is therefore read once-decoded first and twice-decoded second; for a signed URL the one whose
// signature holds is the file (an HMAC over the path cannot hold for two different paths).

function decodeSegments(encoded: string): string | undefined {
  try {
    return encoded.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/** The cloud paths the URL path may name, most likely first. */
export function downloadPathCandidates(encoded: string): string[] {
  const once = decodeSegments(encoded);
  if (once === undefined) return [];
  const twice = /%[0-9A-Fa-f]{2}/.test(once) ? decodeSegments(once) : undefined;
  return twice === undefined || twice === once ? [once] : [once, twice];
}
