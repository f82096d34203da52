// getHistory: the user's search history, most recent first.
import { z } from 'zod';
import { defineHandler } from '../../../shared/router/define-handler';
import { requireUser, targetFields } from '../target-user';

export const getHistory = defineHandler({
  allow: ['user', 'server'],
  input: z.object(targetFields),
  errorCodes: { INVALID_PARAMS: -1, NOT_FOUND: -2, MULTIPLE_USERS: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    return (await requireUser(ctx, input)).history;
  },
});
