// phone_claims: { _id: phone (canonical form, shared/phone.ts), owner: openid, verified } — the
// document id is always unique, so two users racing for one number cannot both claim it.
// `verified` says whether WeChat vouched for the number (getPhoneNumber, wechat.profile) or the user
// only typed it (user.login, user.update). A claim without the field is an unverified one.
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { isDuplicateKeyError } from './db-helpers';
import { collection } from './typed-collection';

export interface PhoneClaim {
  owner: string;
  verified: boolean;
}

export function phoneClaimsCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.phoneClaims.name);
  const _ = db.command;
  return {
    async holder(phone: string): Promise<PhoneClaim | undefined> {
      const { data } = await coll().doc(phone).get();
      return typeof data?.owner === 'string' ? { owner: data.owner, verified: data.verified === true } : undefined;
    },

    /**
     * True when the phone is now (or already was) this owner's; false when someone else holds it.
     * A verified claim upgrades the owner's own unverified one.
     */
    async claim(phone: string, owner: string, verified: boolean): Promise<boolean> {
      try {
        await coll().add({ data: { _id: phone, owner, verified, createdAt: db.serverDate() } });
        return true;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const { data } = await coll().doc(phone).get();
        if (data?.owner !== owner) return false;
        if (verified && data.verified !== true) await coll().where({ _id: phone, owner }).update({ data: { verified: true } });
        return true;
      }
    },

    /**
     * Gives `to` the number `from` holds by an unverified claim, as a verified one. Atomic: false
     * when the claim changed meanwhile (another owner, or verified by now).
     */
    async takeOver(phone: string, from: string, to: string): Promise<boolean> {
      const { stats } = await coll()
        .where({ _id: phone, owner: from, verified: _.neq(true) })
        .update({ data: { owner: to, verified: true, takenFrom: from, takenAt: db.serverDate() } });
      return stats.updated > 0;
    },

    async release(phone: string, owner: string): Promise<void> {
      await coll().where({ _id: phone, owner }).remove();
    },
  };
}
