// Every collection the functions use, and the unique indexes they rely on. The emulator creates
// these at start and enforces exactly these indexes; in the cloud, create the collections and the
// indexes once in the CloudBase console (数据库 → 索引管理 → 唯一) or with tcb/updateindex.
export interface CollectionSpec {
  readonly name: string;
  readonly uniqueFields: readonly string[];
}

export const COLLECTIONS = {
  users: { name: 'users', uniqueFields: ['openid', 'id'] },
  counters: { name: 'counters', uniqueFields: [] },
  permissions: { name: 'permissions', uniqueFields: [] },
  phoneClaims: { name: 'phone_claims', uniqueFields: [] },
  wechatTokens: { name: 'wechat_tokens', uniqueFields: [] },
  rateLimits: { name: 'rate_limits', uniqueFields: [] },
  backdb: { name: 'backdb', uniqueFields: [] },
  locks: { name: 'locks', uniqueFields: [] },
} as const satisfies Record<string, CollectionSpec>;

export const COLLECTION_SPECS: readonly CollectionSpec[] = Object.values(COLLECTIONS);
