// getOpenid: wx.login code → openid (jscode2session). Only the openid is returned, never the
// session key; an end user's code must be their own.
import { z } from 'zod';
import { AppError } from '../../../shared/errors/app-error';
import { defineHandler } from '../../../shared/router/define-handler';

export const getOpenid = defineHandler({
  allow: ['user', 'server'],
  input: z.object({ js_code: z.string().trim().min(1).max(256) }),
  errorCodes: { INVALID_PARAMS: -1, UPSTREAM: -2, INTERNAL: -2 },
  async run({ input, ctx }) {
    const { openid } = await ctx.wechat.code2Session(input.js_code);
    if (ctx.caller.kind === 'user' && ctx.caller.openid !== openid) throw new AppError('INVALID_PARAMS', 'js_code was not issued to you');
    return { openid };
  },
});
