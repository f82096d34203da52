// Cloud paths and file IDs. A file ID is `cloud://<env>.<bucket>/<path>`, as CloudBase hands them
// out; the bucket is named after the environment the way CloudBase names it
// (`<hex of the env's first two chars>-<env>-<appid-like number>`).

/** The longest cloud path accepted, in UTF-8 bytes (longer ones are refused with INVALID_PARAM). */
export const MAX_PATH_BYTES = 1024;

export class StorageError extends Error {
  constructor(
    readonly code: 'INVALID_PARAM' | 'STORAGE_FILE_NONEXIST' | 'STORAGE_EXCEED_AUTHORITY' | 'STORAGE_REQUEST_FAIL' | 'STORAGE_SIGN_PARAM_INVALID' | 'INVALID_ENV',
    message: string,
  ) {
    super(message);
  }
}

export function bucketFor(envId: string): string {
  return `${Buffer.from(envId.slice(0, 2)).toString('hex')}-${envId}-1250000000`;
}

export function fileIdFor(envId: string, cloudPath: string): string {
  return `cloud://${envId}.${bucketFor(envId)}/${cloudPath}`;
}

/** Why a cloud path is refused, or undefined when it is acceptable. */
export function pathProblem(cloudPath: unknown): string | undefined {
  if (typeof cloudPath !== 'string' || cloudPath === '') return 'cloudPath must be a non-empty string';
  if (Buffer.byteLength(cloudPath) > MAX_PATH_BYTES) return `cloudPath must be at most ${MAX_PATH_BYTES} bytes`;
  // Control characters (NUL included), backslashes, and '?'/'#' (they would end the URL path).
  if (/[\u0000-\u001f\u007f\\?#]/.test(cloudPath)) return 'cloudPath contains a character that is not allowed';
  if (cloudPath.startsWith('/')) return 'cloudPath must be relative (no leading /)';
  const parts = cloudPath.split('/');
  if (parts.some((p) => p === '..' || p === '.')) return 'cloudPath must not contain . or .. segments';
  if (parts.some((p) => p === '')) return 'cloudPath must not contain empty segments or end with /';
  return undefined;
}

export function assertPath(cloudPath: unknown): string {
  const problem = pathProblem(cloudPath);
  if (problem) throw new StorageError('INVALID_PARAM', problem);
  return cloudPath as string;
}

/**
 * The cloud path of a file ID of this environment. Another environment's ID, or a string that is
 * not a file ID, is refused per file, as CloudBase answers each entry of a batch.
 */
export function parseFileId(envId: string, fileId: unknown): { path: string } | { code: StorageError['code']; message: string } {
  if (typeof fileId !== 'string') return { code: 'INVALID_PARAM', message: 'fileID must be a string' };
  const match = /^cloud:\/\/([^./]+)\.([^/]+)\/(.*)$/s.exec(fileId);
  if (!match) return { code: 'INVALID_PARAM', message: `not a cloud file ID: ${fileId.slice(0, 200)}` };
  const [, env, bucket, cloudPath] = match as unknown as [string, string, string, string];
  if (env !== envId || bucket !== bucketFor(envId)) return { code: 'STORAGE_EXCEED_AUTHORITY', message: `file ID belongs to another environment or bucket: ${env}` };
  const problem = pathProblem(cloudPath);
  if (problem) return { code: 'INVALID_PARAM', message: problem };
  return { path: cloudPath };
}
