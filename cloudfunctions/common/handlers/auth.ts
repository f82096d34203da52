// auth: the feature ids granted to the caller (public features, their roles, their openid).
import { z } from 'zod';
import { featuresFor } from '../../../shared/db/permissions';
import { endUser } from '../../../shared/router/caller';
import { defineHandler } from '../../../shared/router/define-handler';

export const auth = defineHandler({
  allow: ['user'],
  input: z.object({}),
  async run({ ctx }): Promise<string[]> {
    const { openid } = endUser(ctx.caller);
    const [user, permissions] = await Promise.all([ctx.users.findByOpenid(openid), ctx.permissions.all()]);
    return featuresFor(permissions, { openid, roles: user?.roles ?? [] });
  },
});
