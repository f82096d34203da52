// logout: invalidate every token the user holds (bumps the token version, which the wechat API
// checks on each request).
import { z } from 'zod';
import { defineHandler } from '../../../shared/router/define-handler';
import { requireUser, targetFields } from '../target-user';

export const logout = defineHandler({
  allow: ['user', 'server'],
  input: z.object(targetFields),
  errorCodes: { INVALID_PARAMS: -1, NOT_FOUND: -2, MULTIPLE_USERS: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    const user = await requireUser(ctx, input);
    await ctx.users.bumpTokenVersion(user._id);
    return [];
  },
});
