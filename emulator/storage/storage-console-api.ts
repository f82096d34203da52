// Storage screen API: one folder's subfolders and files (metadata, a download link) with the
// storage rule that governs each; an upload grant for the browser to PUT a file to the COS URL
// (the bytes never pass through this JSON API); deletes. The console is the server side, which
// storage rules do not bind.
import { ApiError, type ApiTable } from '../http/api-table';
import type { StorageConsole } from './index';

const LINK_SECONDS = 600;

function cloudPathOf(body: Record<string, unknown>): string {
  if (typeof body.path !== 'string' || body.path === '') throw new ApiError(400, 'path must be a non-empty string');
  return body.path;
}

export const storageConsoleRoutes = (storage: StorageConsole) => ({
  folder: ['GET', /^\/_emulator\/console\/storage$/, ({ url }) => {
    const prefix = url.searchParams.get('prefix') ?? '';
    if (prefix !== '' && !prefix.endsWith('/')) throw new ApiError(400, 'prefix must be empty or end with /');
    const folders = new Map<string, number>();
    const files = [];
    for (const meta of storage.list()) {
      if (!meta.path.startsWith(prefix)) continue;
      const rest = meta.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        const name = rest.slice(0, slash);
        folders.set(name, (folders.get(name) ?? 0) + 1);
        continue;
      }
      files.push({ ...meta, name: rest, fileId: storage.fileId(meta.path), downloadUrl: storage.tempUrl(meta.path, LINK_SECONDS), blob: undefined });
    }
    const rule = (folder: string) => {
      const { folder: from, rules } = storage.ruleFor(`${folder}x`);
      return { from: from || '(default)', read: rules.read, write: rules.write };
    };
    return {
      prefix,
      rule: rule(prefix),
      folders: [...folders.entries()].map(([name, files]) => ({ name, files, rule: rule(`${prefix}${name}/`) })),
      files,
      rules: storage.rules(),
    };
  }],
  uploadUrl: ['POST', /^\/_emulator\/console\/storage\/upload-url$/, ({ body }) => {
    try {
      return storage.uploadGrant(cloudPathOf(body));
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(400, (err as Error).message);
    }
  }],
  delete: ['POST', /^\/_emulator\/console\/storage\/delete$/, ({ body }) => {
    const cloudPath = cloudPathOf(body);
    if (!storage.delete(cloudPath)) throw new ApiError(404, `no file ${cloudPath}`);
    return { deleted: cloudPath };
  }],
}) satisfies ApiTable;
