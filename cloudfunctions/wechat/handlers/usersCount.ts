// usersCount: how many users there are.
import { defineHandler } from '../../../shared/router/define-handler';
import type { WechatResult } from '../envelope';
import { usersCountRequestSchema } from '../schemas';

export const usersCount = defineHandler({
  allow: ['user', 'http', 'server'],
  input: usersCountRequestSchema,
  async run({ ctx }): Promise<WechatResult> {
    return { msg: 'ok', data: { total_users: await ctx.users.count() } };
  },
});
