// What `common` returns for a user (seed 000 shows `...user`): the profile, without internals
// such as history or the token version.
import type { UserDoc } from '../../shared/db/users';

export function commonUserView(user: UserDoc) {
  return {
    _id: user._id,
    id: user.id,
    openid: user.openid,
    nickname: user.nickname ?? '',
    avatarUrl: user.avatar ?? '',
    gender: user.gender ?? null,
    phone: user.phone ?? '',
    roles: user.roles,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export type CommonUserView = ReturnType<typeof commonUserView>;
