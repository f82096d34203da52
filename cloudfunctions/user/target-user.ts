// Which user a user-API call is about. An end user may only name themself (payload openid or
// user_id must be their own, else INVALID_PARAMS); a server-side caller must name someone.
import type { HandlerContext } from '../../shared/context';
import { AppError } from '../../shared/errors/app-error';
import type { UserDoc } from '../../shared/db/users';
import { openidSchema, wholeNumberSchema } from '../../shared/validation';

export const targetFields = {
  openid: openidSchema.optional(),
  user_id: wholeNumberSchema({ min: 1 }, 'must be a user id (a positive whole number)').optional(),
};

export interface TargetInput {
  openid?: string;
  user_id?: number;
}

/** The openid the call is about, without reading the database when the caller is the user. */
export async function targetOpenid(ctx: HandlerContext, input: TargetInput): Promise<string> {
  if (ctx.caller.kind === 'user') {
    const own = ctx.caller.openid;
    if (input.openid !== undefined && input.openid !== own) throw new AppError('INVALID_PARAMS', 'openid must be your own');
    if (input.user_id !== undefined) {
      const me = await ctx.users.findByOpenid(own);
      if (!me || me.id !== input.user_id) throw new AppError('INVALID_PARAMS', 'user_id must be your own');
    }
    return own;
  }
  if (input.openid !== undefined) return input.openid;
  if (input.user_id !== undefined) {
    const user = await ctx.users.findByNumericId(input.user_id);
    if (!user) throw new AppError('NOT_FOUND', `no user with user_id ${input.user_id}`);
    return user.openid;
  }
  throw new AppError('INVALID_PARAMS', 'openid or user_id is required');
}

export async function requireUser(ctx: HandlerContext, input: TargetInput): Promise<UserDoc> {
  const openid = await targetOpenid(ctx, input);
  const users = await ctx.users.findAllByOpenid(openid);
  if (users.length > 1) throw new AppError('MULTIPLE_USERS', 'more than one user has this openid');
  const [user] = users;
  if (!user) throw new AppError('NOT_FOUND', 'user does not exist');
  return user;
}
