// The wechat API's view of a user (seed 004 UserInfo).
import type { UserDoc } from '../../shared/db/users';
import type { UserInfo } from './schemas';

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function userInfo(user: UserDoc): UserInfo {
  return {
    pb_id: user._id,
    users_id: String(user.id),
    users_idtype: 'WeChat',
    users_name: user.nickname ?? '',
    users_phone: user.phone ?? '',
    users_phone_masked: user.phone ? maskPhone(user.phone) : '',
    users_picture: user.avatar ?? '',
    users_status: user.status,
    openid: user.openid,
    created: user.createdAt.toISOString(),
    updated: user.updatedAt.toISOString(),
  };
}

export function isInfoComplete(user: UserDoc): boolean {
  return Boolean(user.nickname && user.phone && user.avatar);
}
