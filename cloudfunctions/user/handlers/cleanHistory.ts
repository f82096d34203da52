// cleanHistory: empty the user's search history; returns [].
import { z } from 'zod';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { targetFields, targetOpenid } from '../target-user';

export const cleanHistory = defineHandler({
  allow: ['user', 'server'],
  input: z.object(targetFields),
  errorCodes: { INVALID_PARAMS: -1, NOT_FOUND: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    if (!(await ctx.users.clearHistory(await targetOpenid(ctx, input)))) throw new AppError('NOT_FOUND', 'user does not exist');
    return [];
  },
});
