// users: one document per person, shared by all four functions (the union of the seeds' fields).
// openid and id carry unique indexes (collections.ts), which is what makes registration safe.
import { z } from 'zod';
import type { Database } from '../platform';
import { AppError } from '../errors/app-error';
import { COLLECTIONS } from './collections';
import { collection } from './typed-collection';
import { countersCollection } from './counters';
import { isDuplicateKeyError, updateAndReturn } from './db-helpers';

export const PROFILE_FIELDS = ['nickname', 'avatar', 'gender', 'phone', 'qq', 'cardno', 'wxid'] as const;

export const userDocSchema = z.object({
  _id: z.string(),
  openid: z.string(),
  unionid: z.string().optional(),
  id: z.number().int().positive(),
  nickname: z.string().optional(),
  avatar: z.string().optional(),
  gender: z.number().int().optional(),
  phone: z.string().optional(),
  qq: z.string().optional(),
  cardno: z.string().optional(),
  wxid: z.string().optional(),
  /** Set while the nickname awaits a human review (WeChat content security suggested `review`). */
  nicknameReview: z.object({ label: z.number(), traceId: z.string().optional(), checkedAt: z.date() }).optional(),
  roles: z.array(z.string()).default([]),
  history: z.array(z.string()).default([]),
  tokenVersion: z.number().int().nonnegative().default(0),
  status: z.string().default('active'),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type UserDoc = z.infer<typeof userDocSchema>;
export type UserProfile = Partial<Pick<UserDoc, (typeof PROFILE_FIELDS)[number] | 'unionid'>>;
/** A profile change; nicknameReview null clears a pending review (the new nickname passed). */
export type UserPatch = UserProfile & { nicknameReview?: NonNullable<UserDoc['nicknameReview']> | null };

const USER_SEQUENCE = 'users';
const MAX_REGISTER_ATTEMPTS = 25;

export function usersCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.users.name);
  const _ = db.command;
  const counters = countersCollection(db);
  const parse = (raw: unknown): UserDoc => userDocSchema.parse(raw);

  const users = {
    /** All documents with this openid (more than one only if the unique index is missing). */
    async findAllByOpenid(openid: string): Promise<UserDoc[]> {
      const { data } = await coll().where({ openid }).limit(2).get();
      return data.map(parse);
    },

    async findByOpenid(openid: string): Promise<UserDoc | undefined> {
      const [user] = await users.findAllByOpenid(openid);
      return user;
    },

    async findById(docId: string): Promise<UserDoc | undefined> {
      const { data } = await coll().doc(docId).get();
      return data ? parse(data) : undefined;
    },

    async findByNumericId(id: number): Promise<UserDoc | undefined> {
      const { data } = await coll().where({ id }).limit(1).get();
      return data[0] ? parse(data[0]) : undefined;
    },

    async findByPhone(phone: string): Promise<UserDoc | undefined> {
      const { data } = await coll().where({ phone }).limit(1).get();
      return data[0] ? parse(data[0]) : undefined;
    },

    /** Read the next-id hint; done in parallel with the user lookup so registration costs one more round trip. */
    peekLastId: () => counters.peek(USER_SEQUENCE),

    /**
     * Create the user for this openid, or return the one that won a concurrent registration.
     * The numeric id comes from the users sequence; the unique index on `id` makes two
     * registrations that picked the same number collide, and the loser retries with a fresh one.
     */
    async register(openid: string, profile: UserProfile & { nicknameReview?: NonNullable<UserDoc['nicknameReview']> }, lastIdHint?: number): Promise<{ user: UserDoc; created: boolean }> {
      let lastId = lastIdHint ?? (await counters.peek(USER_SEQUENCE));
      for (let attempt = 0; attempt < MAX_REGISTER_ATTEMPTS; attempt++) {
        const id = lastId + 1;
        const now = new Date();
        const doc = { openid, id, ...clean(profile), roles: [], history: [], tokenVersion: 0, status: 'active', createdAt: db.serverDate(), updatedAt: db.serverDate() };
        try {
          const [added] = await Promise.all([coll().add({ data: doc }), counters.raise(USER_SEQUENCE, id)]);
          return { user: parse({ ...doc, _id: added._id, createdAt: now, updatedAt: now }), created: true };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          const winner = await users.findByOpenid(openid);
          if (winner) return { user: winner, created: false };
          lastId = Math.max(id, await counters.peek(USER_SEQUENCE), await users.maxId());
        }
      }
      throw new AppError('INTERNAL', 'could not allocate a user id', { details: { openid } });
    },

    async maxId(): Promise<number> {
      const { data } = await coll().orderBy('id', 'desc').limit(1).field({ id: true }).get();
      return typeof data[0]?.id === 'number' ? data[0].id : 0;
    },

    /** Remove `phone` from this user if they still hold it; true when it was removed. */
    async clearPhone(openid: string, phone: string): Promise<boolean> {
      const { stats } = await coll().where({ openid, phone }).update({ data: { phone: _.remove(), updatedAt: db.serverDate() } });
      return stats.updated > 0;
    },

    /** Update profile fields; returns the updated document (one round trip). */
    async patch(docId: string, fields: UserPatch): Promise<UserDoc | undefined> {
      const { nicknameReview, ...profile } = fields;
      const review = nicknameReview === null ? { nicknameReview: _.remove() } : nicknameReview ? { nicknameReview } : {};
      const doc = await updateAndReturn<unknown>(coll().where({ _id: docId }), { ...clean(profile), ...review, updatedAt: db.serverDate() });
      return doc ? parse(doc) : undefined;
    },

    /**
     * Put `entry` at the front of the history, at most `max` entries, in one atomic update that
     * returns the list. An entry already present is first pulled (a second update): MongoDB
     * cannot pull and push the same array in one update.
     */
    async pushHistory(openid: string, entry: string, max: number): Promise<string[] | undefined> {
      const push = { history: _.push({ each: [entry], position: 0, slice: max } as never), updatedAt: db.serverDate() };
      const fresh = await updateAndReturn<unknown>(coll().where({ openid, history: _.nin([entry]) }), push);
      if (fresh) return parse(fresh).history;
      const pulled = await updateAndReturn<unknown>(coll().where({ openid }), { history: _.pull(entry) });
      if (!pulled) return undefined;
      // Conditional again: a concurrent add of the same entry may have put it back meanwhile.
      const after = await updateAndReturn<unknown>(coll().where({ openid, history: _.nin([entry]) }), push);
      if (after) return parse(after).history;
      return (await users.findByOpenid(openid))?.history;
    },

    async clearHistory(openid: string): Promise<boolean> {
      const res = await coll().where({ openid }).update({ data: { history: _.set([]), updatedAt: db.serverDate() } });
      return res.stats.updated > 0;
    },

    /** Invalidate every token issued to the user (the token carries the version it was issued with). */
    async bumpTokenVersion(docId: string): Promise<UserDoc | undefined> {
      const doc = await updateAndReturn<unknown>(coll().where({ _id: docId }), { tokenVersion: _.inc(1), updatedAt: db.serverDate() });
      return doc ? parse(doc) : undefined;
    },

    async count(): Promise<number> {
      const { total } = await coll().count();
      return total;
    },
  };
  return users;
}

function clean(fields: UserProfile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

export type UsersCollection = ReturnType<typeof usersCollection>;
