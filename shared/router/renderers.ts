// The error shapes of the seeds. common and backdb (seed 000) reject the call with a message that
// starts with the code; user (001/002) and wechat (004) return envelopes, built in their folders.
import type { AppError } from '../errors/app-error';
import type { Renderer } from './create-router';

export const rejectingRenderer: Renderer = {
  success: (result) => result ?? null,
  failure(error: AppError) {
    const message = error.code === 'INTERNAL' ? 'internal error' : error.message;
    throw new Error(`${error.code}: ${message}`);
  },
};
