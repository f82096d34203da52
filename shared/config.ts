// Configuration from environment variables, validated with zod and read once per section.
// A missing or invalid variable fails the call with CONFIGURATION, whose message names it.
import { z } from 'zod';
import { AppError } from './errors/app-error';

const intFrom = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const sections = {
  wechat: z.object({
    WECHAT_APPID: z.string().min(1),
    WECHAT_SECRET: z.string().min(1),
    WECHAT_API_BASE_URL: z.string().url().default('https://api.weixin.qq.com'),
    WECHAT_HTTP_TIMEOUT_MS: intFrom(5000),
  }),
  contentSecurity: z.object({
    /** How long a content check may take before the save is refused (WeChat counts as down). */
    CONTENT_CHECK_TIMEOUT_MS: intFrom(3000),
  }),
  token: z.object({
    TOKEN_SECRET: z.string().min(16),
    TOKEN_TTL_SECONDS: intFrom(7 * 24 * 3600),
  }),
  user: z.object({
    USER_REQUIRED_FIELDS: z.string().default('phone'),
    HISTORY_MAX_ENTRIES: intFrom(20),
    HISTORY_MAX_LENGTH: intFrom(100),
  }),
  rateLimit: z.object({
    RATE_LIMIT_WINDOW_SECONDS: intFrom(60),
    RATE_LIMIT_PER_CALLER: intFrom(20),
    RATE_LIMIT_PER_IP: intFrom(60),
  }),
  backup: z.object({
    BACKUP_CONCURRENCY: intFrom(5),
    BACKUP_RETENTION_WEEKS: intFrom(8),
    BACKUP_PATH_PREFIX: z.string().default('backup'),
    /** Collections never exported: cached WeChat access tokens are secrets, rate counters are noise. */
    BACKUP_EXCLUDE: z.string().default('wechat_tokens,rate_limits'),
    /** How long a download URL from databasemigratequeryinfo is trusted before asking again. */
    BACKUP_URL_TTL_SECONDS: intFrom(1800),
    /** Environment to back up; defaults to the function's own (getWXContext().ENV). */
    BACKUP_ENV: z.string().optional(),
    /**
     * Override only: the cloud storage bucket export files' IDs name (cloud://<env>.<bucket>/<path>).
     * Unset (the normal case), retention asks cloud storage for the IDs (backdb/retention.ts).
     */
    BACKUP_STORAGE_BUCKET: z.string().optional(),
  }),
} as const;

type Sections = typeof sections;
export type Config<K extends keyof Sections> = z.infer<Sections[K]>;

const cache = new Map<keyof Sections, unknown>();

export function config<K extends keyof Sections>(section: K): Config<K> {
  if (!cache.has(section)) {
    const parsed = sections[section].safeParse(process.env);
    if (!parsed.success) {
      // Names the variable, never its value (a secret's value must not reach a caller or a log).
      const problems = parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        return `${name} ${process.env[name] === undefined || process.env[name] === '' ? 'is not set' : `is invalid (${i.message})`}`;
      });
      throw new AppError('CONFIGURATION', `configuration error: ${problems.join('; ')}; set it in the function's configuration (docs/deploy.md)`);
    }
    cache.set(section, parsed.data);
  }
  return cache.get(section) as Config<K>;
}
