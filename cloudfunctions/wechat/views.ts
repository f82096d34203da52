// The wechat API's view of a user (seed 004 UserInfo).
import type { UserDoc } from '../../shared/db/users';
import type { UserInfo } from './schemas';

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** Seed 004 UserInfo: every documented property, the unstored ones at their zero value (see schemas.ts). */
export function userInfo(user: UserDoc): UserInfo {
  return {
    pb_id: user._id,
    users_convers_id: '',
    users_id: String(user.id),
    users_idtype: 'WeChat',
    users_id_number: '',
    users_type: '',
    users_name: user.nickname ?? '',
    users_status: user.status,
    users_rank_level: 0,
    users_auth_type: 0,
    users_phone: user.phone ?? '',
    users_phone_masked: user.phone ? maskPhone(user.phone) : '',
    users_level: '',
    users_picture: user.avatar ?? '',
    openid: user.openid,
    company_id: '',
    users_parent_id: '',
    users_promo_code: '',
    usergroups_id: '',
    company: null,
    created: user.createdAt.toISOString(),
    updated: user.updatedAt.toISOString(),
  };
}

export function isInfoComplete(user: UserDoc): boolean {
  return Boolean(user.nickname && user.phone && user.avatar);
}
