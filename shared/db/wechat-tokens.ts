// wechat_tokens: the cached WeChat access token, shared by every function instance
// ({ _id: appid, accessToken, expiresAt }).
import { z } from 'zod';
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { collection } from './typed-collection';

const tokenDocSchema = z.object({ _id: z.string(), accessToken: z.string(), expiresAt: z.date() });
export type CachedToken = z.infer<typeof tokenDocSchema>;

export function wechatTokensCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.wechatTokens.name);
  return {
    async read(appid: string): Promise<CachedToken | undefined> {
      const { data } = await coll().doc(appid).get();
      const parsed = tokenDocSchema.safeParse(data);
      return parsed.success ? parsed.data : undefined;
    },
    async save(appid: string, accessToken: string, expiresAt: Date): Promise<void> {
      await coll().doc(appid).set({ data: { accessToken, expiresAt, savedAt: db.serverDate() } });
    },
  };
}
