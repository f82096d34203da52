// What a handler gets: the caller, the typed collections, the WeChat client, content security,
// cloud storage and a clock.
// Handlers never read process.env or call wx-server-sdk themselves.
import { cloudFileId, deleteCloudFiles, getDatabase, type Database } from './platform';
import { backdbJobsCollection } from './db/backdb-jobs';
import { locksCollection } from './db/locks';
import { permissionsCollection } from './db/permissions';
import { phoneClaimsCollection } from './db/phone-claims';
import { rateLimitsCollection } from './db/rate-limits';
import { usersCollection } from './db/users';
import type { Caller } from './router/caller';
import { contentChecker } from './services/content-check';
import { wechatClient } from './wechat/wechat-client';

export interface RequestInfo {
  /** Bearer token from an HTTP request (wechat API). */
  token?: string;
}

export function createContext(caller: Caller, envId: string, request: RequestInfo = {}) {
  const db: Database = getDatabase();
  const now = () => new Date();
  const wechat = wechatClient(db, now);
  return {
    caller,
    envId,
    request,
    db,
    now,
    users: usersCollection(db),
    permissions: permissionsCollection(db),
    phoneClaims: phoneClaimsCollection(db),
    rateLimits: rateLimitsCollection(db),
    backupJobs: backdbJobsCollection(db),
    locks: locksCollection(db, now),
    wechat,
    content: contentChecker(caller, wechat),
    storage: { deleteFiles: deleteCloudFiles, fileId: cloudFileId },
  };
}

export type HandlerContext = ReturnType<typeof createContext>;
