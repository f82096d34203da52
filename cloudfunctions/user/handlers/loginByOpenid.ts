// loginByOpenid: the user for an openid, or -2 when not registered (then call login).
import { z } from 'zod';
import { defineHandler } from '../../../shared/router/define-handler';
import { requireUser, targetFields } from '../target-user';
import { userView } from '../views';

export const loginByOpenid = defineHandler({
  allow: ['user', 'server'],
  input: z.object(targetFields),
  errorCodes: { INVALID_PARAMS: -1, NOT_FOUND: -2, MULTIPLE_USERS: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    return userView(await requireUser(ctx, input));
  },
});
