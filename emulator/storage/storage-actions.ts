// The storage.* actions, as the server SDK posts them to /admin (@cloudbase/node-sdk
// src/storage/index.ts) and as the mini-program's local mode posts them to /storage/client.
// Each answers the body CloudBase answers, without the requestId: { data } or { code, message }.
import { StorageError } from './cloud-path';
import type { CloudStorage } from './cloud-storage';
import type { StorageCaller } from './storage-rules';
import { hasOwnEntry, ownEntry } from '../lib/own-entry';

type Params = Record<string, unknown>;
type Action = (storage: CloudStorage, caller: StorageCaller, params: Params, nowMs: number) => Promise<Record<string, unknown>> | Record<string, unknown>;

const ACTIONS: Record<string, Action> = {
  'storage.getUploadMetadata': (storage, caller, params, nowMs) => storage.uploadMetadata(caller, params.path, nowMs),
  'storage.batchGetDownloadUrl': (storage, caller, params, nowMs) => ({ download_list: storage.tempUrls(caller, params.file_list, nowMs) }),
  'storage.batchDeleteFile': (storage, caller, params) => ({ delete_list: storage.deleteFiles(caller, params.fileid_list) }),
  'storage.batchCopyFile': async (storage, caller, params) => ({ copy_list: await storage.copyFiles(caller, params.file_list) }),
};

/** What a mini-program user may call (copying is a server SDK call only). */
const CLIENT_ACTIONS = new Set(['storage.getUploadMetadata', 'storage.batchGetDownloadUrl', 'storage.batchDeleteFile']);

export function isStorageAction(action: string, caller: StorageCaller): boolean {
  return caller.kind === 'server' ? hasOwnEntry(ACTIONS, action) : CLIENT_ACTIONS.has(action);
}

export async function runStorageAction(storage: CloudStorage, caller: StorageCaller, params: Params, nowMs: number): Promise<Record<string, unknown>> {
  const action = ownEntry(ACTIONS, String(params.action));
  if (!action) return { code: 'INVALID_ACTION', message: `unknown action: ${String(params.action)}` };
  try {
    return { data: await action(storage, caller, params, nowMs) };
  } catch (err) {
    if (err instanceof StorageError) return { code: err.code, message: err.message };
    throw err;
  }
}
