// Saving profile fields that may include a phone number. Phone numbers are unique across users
// (phone_claims decides races between users); saves of one user are serialised by a lock so that
// two concurrent saves cannot leave the stored phone without its claim or a claim without a holder.
import type { HandlerContext } from '../context';
import type { UserDoc, UserProfile } from '../db/users';
import { AppError } from '../errors/app-error';

export async function saveProfile(ctx: HandlerContext, user: UserDoc, fields: UserProfile, _claim: { verified: boolean } = { verified: false }): Promise<UserDoc> {
  if (fields.phone === undefined) return requireSaved(await ctx.users.patch(user._id, fields));
  const phone = fields.phone;
  const owner = await ctx.phoneClaims.ownerOf(phone);
  // Refused before taking the lock, so that a rejected save writes nothing at all.
  if (owner !== undefined && owner !== user.openid) throw conflict();
  return ctx.locks.withLock(`profile:${user._id}`, async () => {
    const current = await ctx.users.findById(user._id);
    if (!current) throw new AppError('NOT_FOUND', 'user does not exist');
    if (!(await ctx.phoneClaims.claim(phone, current.openid))) throw conflict();
    const saved = requireSaved(await ctx.users.patch(current._id, fields));
    if (current.phone && current.phone !== phone) await ctx.phoneClaims.release(current.phone, current.openid);
    return saved;
  });
}

const conflict = () => new AppError('CONFLICT', 'this phone number is already bound to another user');

function requireSaved(user: UserDoc | undefined): UserDoc {
  if (!user) throw new AppError('NOT_FOUND', 'user does not exist');
  return user;
}
