// Saving profile fields that may include a phone number (already in its canonical form, see
// shared/phone.ts). A phone number has one holder across users (phone_claims decides races);
// saves of one user are serialised by a lock so that two concurrent saves cannot leave the stored
// phone without its claim or a claim without a holder.
//
// Who gets a number another user holds:
// - an unverified save (typed into user.login / user.update) never: CONFLICT;
// - a verified binding (WeChat's getPhoneNumber through wechat.profile) takes it from an
//   unverified claim: the claim becomes the binder's and verified, the former holder's phone is
//   cleared, and the event is logged;
// - two verified claims conflict: the first keeps it.
import type { HandlerContext } from '../context';
import type { UserDoc, UserPatch } from '../db/users';
import { AppError } from '../errors/app-error';
import { logEvent } from '../log';

export interface PhoneProvenance {
  /** WeChat vouched for the number (getPhoneNumber); false when the user only typed it. */
  verified: boolean;
}

export async function saveProfile(ctx: HandlerContext, user: UserDoc, fields: UserPatch, provenance: PhoneProvenance): Promise<UserDoc> {
  if (fields.phone === undefined) return requireSaved(await ctx.users.patch(user._id, fields));
  const phone = fields.phone;
  const holder = await ctx.phoneClaims.holder(phone);
  // Refused before taking the lock, so that a rejected save writes nothing at all.
  if (holder && holder.owner !== user.openid && !(provenance.verified && !holder.verified)) throw conflict();
  return ctx.locks.withLock(`profile:${user._id}`, async () => {
    const current = await ctx.users.findById(user._id);
    if (!current) throw new AppError('NOT_FOUND', 'user does not exist');
    if (!(await claimPhone(ctx, phone, current.openid, provenance.verified))) throw conflict();
    const saved = requireSaved(await ctx.users.patch(current._id, fields));
    if (current.phone && current.phone !== phone) await ctx.phoneClaims.release(current.phone, current.openid);
    // A verified binding may have taken the claim between our claim and our write; its takeover
    // clears the holder's phone, which we had not written yet. The binding wins, as it would have a
    // moment later: the number is cleared from this user too.
    const after = await ctx.phoneClaims.holder(phone);
    if (after && after.owner !== current.openid) {
      await ctx.users.clearPhone(current.openid, phone);
      logEvent(`phone ${maskPhone(phone)} went to the verified binding of ${after.owner} while ${current.openid} saved it; cleared from ${current.openid}`);
      const { phone: _lost, ...withoutPhone } = saved;
      return withoutPhone as UserDoc;
    }
    return saved;
  });
}

/** Claims `phone` for `openid`, taking it from an unverified holder when this claim is verified. */
export async function claimPhone(ctx: HandlerContext, phone: string, openid: string, verified: boolean): Promise<boolean> {
  if (await ctx.phoneClaims.claim(phone, openid, verified)) return true;
  if (!verified) return false;
  const holder = await ctx.phoneClaims.holder(phone);
  // Released meanwhile: claim it afresh.
  if (!holder) return ctx.phoneClaims.claim(phone, openid, verified);
  if (holder.verified || !(await ctx.phoneClaims.takeOver(phone, holder.owner, openid))) return false;
  const cleared = await ctx.users.clearPhone(holder.owner, phone);
  logEvent(`phone ${maskPhone(phone)} moved from the unverified claim of ${holder.owner} to the verified binding of ${openid}${cleared ? '; the former holder\'s phone was cleared' : ''}`);
  return true;
}

const maskPhone = (phone: string) => `${'*'.repeat(Math.max(0, phone.length - 4))}${phone.slice(-4)}`;

const conflict = () => new AppError('CONFLICT', 'this phone number is already bound to another user');

function requireSaved(user: UserDoc | undefined): UserDoc {
  if (!user) throw new AppError('NOT_FOUND', 'user does not exist');
  return user;
}
