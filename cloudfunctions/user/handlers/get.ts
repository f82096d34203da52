// get: user details by openid (seed 001) or user_id (seed 002).
import { z } from 'zod';
import { defineHandler } from '../../../shared/router/define-handler';
import { requireUser, targetFields } from '../target-user';
import { userView } from '../views';

export const get = defineHandler({
  allow: ['user', 'server'],
  input: z.object(targetFields),
  errorCodes: { INVALID_PARAMS: -1, MULTIPLE_USERS: -2, INTERNAL: -3, NOT_FOUND: -4 },
  async run({ input, ctx }) {
    return userView(await requireUser(ctx, input));
  },
});
