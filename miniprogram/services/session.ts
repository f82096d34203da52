// The signed-in user, shared by the pages: common.login registers on first use, so a page opened
// directly (not through pages/start) signs in on demand. A failed sign-in is not remembered.
import type { SignedInUser } from './common';
import { common } from './common';

let pending: Promise<SignedInUser> | undefined;

export function signIn(refresh = false): Promise<SignedInUser> {
  if (!pending || refresh) {
    const attempt = common.login();
    pending = attempt;
    attempt.catch(() => {
      if (pending === attempt) pending = undefined;
    });
  }
  return pending;
}
