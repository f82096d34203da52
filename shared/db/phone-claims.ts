// phone_claims: { _id: phone, owner: users._id } — the document id is always unique, so two users
// racing for one phone number cannot both claim it.
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { isDuplicateKeyError } from './db-helpers';
import { collection } from './typed-collection';

export function phoneClaimsCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.phoneClaims.name);
  return {
    /** True when the phone is now (or already was) this owner's; false when someone else holds it. */
    async claim(phone: string, owner: string): Promise<boolean> {
      try {
        await coll().add({ data: { _id: phone, owner, createdAt: db.serverDate() } });
        return true;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const { data } = await coll().doc(phone).get();
        return data?.owner === owner;
      }
    },
    async ownerOf(phone: string): Promise<string | undefined> {
      const { data } = await coll().doc(phone).get();
      return typeof data?.owner === 'string' ? data.owner : undefined;
    },
    async release(phone: string, owner: string): Promise<void> {
      await coll().where({ _id: phone, owner }).remove();
    },
  };
}
