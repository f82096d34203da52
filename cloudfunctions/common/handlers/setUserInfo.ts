// setUserInfo: update the caller's nickname and avatar. `uid` (the user's _id or numeric id) may
// name only the caller; a server-side caller must name the user. The nickname passes WeChat content
// security first (shared/services/content-check.ts): risky is refused with CONTENT_RISKY.
import { z } from 'zod';
import { AppError } from '../../../shared/errors/app-error';
import type { HandlerContext } from '../../../shared/context';
import type { UserDoc } from '../../../shared/db/users';
import { defineHandler } from '../../../shared/router/define-handler';
import { httpUrlSchema, nicknameSchema, wholeNumberSchema } from '../../../shared/validation';

const UID_MESSAGE = "must be the user's _id or numeric id";
const uidSchema = z.union([z.string().trim().min(1).max(128), wholeNumberSchema({ min: 1 }, UID_MESSAGE)], { errorMap: () => ({ message: UID_MESSAGE }) });

export const setUserInfo = defineHandler({
  allow: ['user', 'server'],
  input: z.object({ uid: uidSchema.optional(), nickname: nicknameSchema, avatarUrl: httpUrlSchema }),
  async run({ input, ctx }): Promise<null> {
    const user = await targetUser(ctx, input.uid);
    const nickname = await ctx.content.nickname(user.openid, input.nickname, 'nickname');
    await ctx.users.patch(user._id, { ...nickname, avatar: input.avatarUrl });
    return null;
  },
});

async function targetUser(ctx: HandlerContext, uid: string | number | undefined): Promise<UserDoc> {
  const matches = (u: UserDoc) => uid === undefined || String(uid) === u._id || String(uid) === String(u.id);
  if (ctx.caller.kind === 'user') {
    const me = await ctx.users.findByOpenid(ctx.caller.openid);
    if (!me) throw new AppError('NOT_FOUND', 'user not registered: call login first');
    if (!matches(me)) throw new AppError('INVALID_PARAMS', 'uid must be your own user id');
    return me;
  }
  if (uid === undefined) throw new AppError('INVALID_PARAMS', 'uid is required for a server-side call');
  const user = typeof uid === 'number' || /^\d+$/.test(uid) ? await ctx.users.findByNumericId(Number(uid)) : await ctx.users.findById(uid);
  if (!user) throw new AppError('NOT_FOUND', `no user ${uid}`);
  return user;
}
