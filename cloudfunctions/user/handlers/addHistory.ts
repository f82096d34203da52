// addHistory: put a search at the front of the user's history (duplicates move to the front),
// at most HISTORY_MAX_ENTRIES entries of at most HISTORY_MAX_LENGTH characters; returns the list.
import { z } from 'zod';
import { config } from '../../../shared/config';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';
import { targetFields, targetOpenid } from '../target-user';

export const addHistory = defineHandler({
  allow: ['user', 'server'],
  input: z.object({ ...targetFields, hist: z.string().trim().min(1, 'must not be empty') }),
  errorCodes: { INVALID_PARAMS: -1, NOT_FOUND: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    const { HISTORY_MAX_ENTRIES, HISTORY_MAX_LENGTH } = config('user');
    if ([...input.hist].length > HISTORY_MAX_LENGTH) throw new AppError('INVALID_PARAMS', `hist must be at most ${HISTORY_MAX_LENGTH} characters`);
    const openid = await targetOpenid(ctx, input);
    const list = await ctx.users.pushHistory(openid, input.hist, HISTORY_MAX_ENTRIES);
    if (!list) throw new AppError('NOT_FOUND', 'user does not exist');
    return list;
  },
});
