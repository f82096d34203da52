// login: find or register the caller (context openid) and return the user with their features.
// One round trip for a known user (user, permissions and the id hint read in parallel).
import { z } from 'zod';
import { featuresFor } from '../../../shared/db/permissions';
import { endUser } from '../../../shared/router/caller';
import { defineHandler } from '../../../shared/router/define-handler';
import { commonUserView } from '../views';

export const login = defineHandler({
  allow: ['user'],
  input: z.object({}),
  async run({ ctx }) {
    const { openid, unionid } = endUser(ctx.caller);
    const [existing, permissions, lastId] = await Promise.all([ctx.users.findByOpenid(openid), ctx.permissions.all(), ctx.users.peekLastId()]);
    const user = existing ?? (await ctx.users.register(openid, { unionid }, lastId)).user;
    return { ...commonUserView(user), auth: featuresFor(permissions, user) };
  },
});
