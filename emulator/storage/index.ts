// Cloud storage of the emulator (CloudBase 云存储 over COS): the storage.* actions of the server
// API (dispatched here by /admin through AdminStorage), the mini-program's own calls in local
// mode (POST /storage/client, the caller from X-WX-OPENID as for /functions/<name>), the COS
// upload and download URLs, the storage rules of storage.rules.json, and the files other services
// write (export jobs) through CloudFiles. Files persist under <data>/storage (./object-store.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sendJson } from '../http/http-utils';
import { readJsonRequest, RequestRefused } from '../http/json-request';
import type { Route } from '../http/routes';
import { pathProblem } from './cloud-path';
import { CloudStorage } from './cloud-storage';
import { handleCosUpload, handleDownload } from './cos-routes';
import { ObjectStore, type ObjectMeta } from './object-store';
import { isStorageAction, runStorageAction } from './storage-actions';
import { StorageRules, type FolderRules } from './storage-rules';
import { UrlSigner } from './url-signer';

export interface StorageOptions {
  /** Where files persist; a temporary folder (removed by close()) when undefined. */
  dir: string | undefined;
  envId: string;
  baseUrl: () => string;
  rulesFile: string;
  maxUploadBytes?: number;
  uploadIdleTimeoutMs?: number;
  /** Browser origins allowed to call /storage/client besides the emulator's own (local mode). */
  allowOrigin?: (origin: string) => boolean;
}

/** What /admin needs: the storage.* actions, for the server side. */
export interface AdminStorage {
  handles(action: string): boolean;
  run(params: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** What other services write and read: whole files by cloud path, and temporary URLs. */
export interface CloudFiles {
  pathProblem(cloudPath: string): string | undefined;
  write(cloudPath: string, content: Readable | Buffer | string, contentType: string): Promise<void>;
  read(cloudPath: string): Promise<Buffer | undefined>;
  tempUrl(cloudPath: string, maxAgeSeconds: number, nowMs: number): string;
}

/** What the console shows and does (the server side: rules do not bind it). */
export interface StorageConsole {
  fileId(cloudPath: string): string;
  list(): ObjectMeta[];
  ruleFor(cloudPath: string): { folder: string; rules: FolderRules };
  rules(): { default: FolderRules; folders: Record<string, FolderRules> };
  /** Where and how to PUT a file as the server side (the console uploads from the browser there). */
  uploadGrant(cloudPath: string): Record<string, string>;
  delete(cloudPath: string): boolean;
  tempUrl(cloudPath: string, maxAgeSeconds: number): string;
}

export interface StorageService {
  /** The bucket file IDs name (cloud://<env>.<bucket>/<path>). */
  bucket: string;
  admin: AdminStorage;
  files: CloudFiles;
  console: StorageConsole;
  /** Removes the temporary folder of an in-memory emulator. */
  close(): void;
  /** The /storage/* routes. */
  routes: Route[];
}

const CLIENT_BODY_LIMIT = 64 * 1024;

export function createStorageService(options: StorageOptions): StorageService {
  const rules = StorageRules.load(options.rulesFile); // first: a bad rules file leaves nothing behind
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-emulator-storage-'));
  const objects = new ObjectStore(dir);
  const storage = new CloudStorage(
    { envId: options.envId, baseUrl: options.baseUrl, maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 ** 3, uploadIdleTimeoutMs: options.uploadIdleTimeoutMs ?? 30_000 },
    objects,
    rules,
    new UrlSigner(dir),
  );
  const server = { kind: 'server' } as const;
  return {
    bucket: storage.bucket,
    close: () => {
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
    admin: {
      handles: (action) => isStorageAction(action, server),
      run: (params) => runStorageAction(storage, server, params, Date.now()),
    },
    files: {
      pathProblem,
      write: async (cloudPath, content, contentType) => void (await storage.write(cloudPath, content, contentType)),
      read: async (cloudPath) => {
        const meta = objects.get(cloudPath);
        if (!meta) return undefined;
        const chunks: Buffer[] = [];
        for await (const chunk of objects.read(meta)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      },
      tempUrl: (cloudPath, maxAgeSeconds, nowMs) => storage.tempUrl(cloudPath, maxAgeSeconds, nowMs),
    },
    console: {
      fileId: (cloudPath) => storage.fileId(cloudPath),
      list: () => objects.list(),
      ruleFor: (cloudPath) => storage.rules.ruleFor(cloudPath),
      rules: () => ({ default: storage.rules.config.default, folders: storage.rules.config.folders }),
      uploadGrant: (cloudPath) => storage.uploadMetadata(server, cloudPath, Date.now()),
      delete: (cloudPath) => objects.delete(cloudPath),
      tempUrl: (cloudPath, maxAgeSeconds) => storage.tempUrl(cloudPath, maxAgeSeconds, Date.now()),
    },
    routes: [
      { methods: ['PUT', 'POST'], path: /^\/storage\/cos\/(.+)$/, handle: (req, res, { raw }) => handleCosUpload(req, res, raw[0] as string, storage) },
      { methods: ['GET', 'HEAD'], path: /^\/storage\/download\/(.+)$/, handle: (req, res, { url, raw }) => handleDownload(req, res, url, raw[0] as string, storage) },
      { methods: ['POST'], path: '/storage/client', handle: (req, res) => handleClient(req, res, storage, options.allowOrigin) },
    ],
  };
}

/** The mini-program's storage calls in local mode: the same actions and answers as /admin, under the storage rules. */
async function handleClient(req: IncomingMessage, res: ServerResponse, storage: CloudStorage, allowOrigin?: (origin: string) => boolean): Promise<void> {
  const requestId = randomUUID();
  let body: unknown;
  try {
    body = await readJsonRequest(req, { limitBytes: CLIENT_BODY_LIMIT, allowOrigin });
  } catch (err) {
    if (!(err instanceof RequestRefused)) throw err;
    return sendJson(res, err.status, { requestId, code: 'INVALID_PARAM', message: err.message });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return sendJson(res, 200, { requestId, code: 'INVALID_PARAM', message: 'request body must be a JSON object' });
  const openid = typeof req.headers['x-wx-openid'] === 'string' && req.headers['x-wx-openid'] !== '' ? req.headers['x-wx-openid'] : null;
  const caller = { kind: 'user', openid } as const;
  const params = body as Record<string, unknown>;
  if (!isStorageAction(String(params.action), caller)) return sendJson(res, 200, { requestId, code: 'INVALID_ACTION', message: `not a mini-program storage action: ${String(params.action)}` });
  sendJson(res, 200, { requestId, ...(await runStorageAction(storage, caller, params, Date.now())) });
}
