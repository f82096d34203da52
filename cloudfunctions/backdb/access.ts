// Who may use backups: server-side callers, the timer, and end users granted the `backdb`
// feature (common.auth). The optional access_token parameter is for server-side testing only.
import type { HandlerContext } from '../../shared/context';
import { featuresFor } from '../../shared/db/permissions';
import { AppError } from '../../shared/errors/app-error';

export const BACKDB_FEATURE = 'backdb';

export async function assertMayBackup(ctx: HandlerContext, accessToken: string | undefined): Promise<void> {
  if (accessToken !== undefined && ctx.caller.kind !== 'server') throw new AppError('FORBIDDEN', 'access_token is accepted only from server-side callers');
  if (ctx.caller.kind !== 'user') return;
  const openid = ctx.caller.openid;
  const [user, permissions] = await Promise.all([ctx.users.findByOpenid(openid), ctx.permissions.all()]);
  if (!featuresFor(permissions, { openid, roles: user?.roles ?? [] }).includes(BACKDB_FEATURE)) throw new AppError('FORBIDDEN', 'the backdb feature has not been granted to you');
}

export function backupEnv(ctx: HandlerContext, configured: string | undefined): string {
  const env = configured || ctx.envId;
  if (!env) throw new AppError('INTERNAL', 'no CloudBase environment id (set BACKUP_ENV)');
  return env;
}
