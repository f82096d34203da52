// The user API's view of a user: seed 001's and seed 002's field names together, times as
// "YYYY-MM-DD HH:mm:ss" (Asia/Shanghai).
import type { UserDoc } from '../../shared/db/users';
import { formatShanghai } from '../../shared/time';

export function userView(user: UserDoc) {
  const created = formatShanghai(user.createdAt);
  const modified = formatShanghai(user.updatedAt);
  return {
    id: user.id,
    openid: user.openid,
    phone: user.phone ?? '',
    qq: user.qq ?? '',
    cardno: user.cardno ?? '',
    wxid: user.wxid ?? '',
    nick_name: user.nickname ?? '',
    avatar: user.avatar ?? '',
    gender: user.gender ?? null,
    created_at: created,
    modified_at: modified,
    ctime: created,
    mtime: modified,
  };
}

export type UserView = ReturnType<typeof userView>;
