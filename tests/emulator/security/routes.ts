// Every route the emulator's port answers, by method and path, for the security tests: the web
// console and its API, the /_emulator control API, the CloudBase server API, callFunction, storage,
// HTTP access and the WeChat stand-in. Paths use the test fixtures (probe) and the default env.
import { bucketFor } from '../../../emulator/storage/cloud-path';

export type RouteCase = [method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string];

const BUCKET = bucketFor('local-env');

/** The web console and the control API: local tools, never meant for another site's page. */
export const CONSOLE_AND_CONTROL_ROUTES: RouteCase[] = [
  ['GET', '/_/'],
  ['GET', '/_'],
  ['GET', '/_/app.js'],
  ['GET', '/_/app.css'],
  ['GET', '/_emulator/console/info'],
  ['GET', '/_emulator/console/collections'],
  ['GET', '/_emulator/console/collections/users/documents'],
  ['POST', '/_emulator/console/collections/users/documents'],
  ['PUT', '/_emulator/console/collections/users/documents/x'],
  ['DELETE', '/_emulator/console/collections/users/documents/x'],
  ['GET', '/_emulator/console/functions'],
  ['POST', '/_emulator/console/functions/probe/invoke'],
  ['GET', '/_emulator/console/backups'],
  ['GET', '/_emulator/console/storage'],
  ['POST', '/_emulator/console/storage/upload-url'],
  ['POST', '/_emulator/console/storage/delete'],
  ['GET', '/_emulator/console/logs/stream'],
  ['GET', '/_emulator/cloud-credentials'],
  ['GET', '/_emulator/tls/ca.pem'],
  ['GET', '/_emulator/wechat/state'],
  ['POST', '/_emulator/wechat/phone-code'],
  ['POST', '/_emulator/wechat/expire-access-tokens'],
  ['POST', '/_emulator/wechat/faults'],
  ['POST', '/_emulator/wechat/reset-stats'],
  ['GET', '/_emulator/functions'],
  ['GET', '/_emulator/timers'],
  ['POST', '/_emulator/functions/probe/triggers/everyMinute/fire'],
  ['GET', '/_emulator/logs'],
  ['GET', '/_emulator/collections'],
  ['GET', '/_emulator/stats'],
  ['GET', '/_emulator/openapi/state'],
  ['GET', '/_emulator/openapi/outbox'],
  ['GET', '/_emulator/openapi/templates'],
  ['POST', '/_emulator/openapi/faults'],
  ['POST', '/_emulator/openapi/templates'],
  ['DELETE', '/_emulator/openapi/outbox'],
];

/** What production serves on CloudBase's and WeChat's own domains, and the local-mode client routes. */
export const SERVICE_ROUTES: RouteCase[] = [
  ['GET', '/'],
  ['POST', '/_emulator/wechat/login-code'],
  ['POST', '/admin'],
  ['POST', '/functions/probe'],
  ['POST', '/storage/client'],
  ['POST', `/storage/cos/${BUCKET}/avatars/a.png`],
  ['GET', `/storage/download/${BUCKET}/avatars/a.png`],
  ['GET', '/probe-http'],
  ['GET', '/sns/jscode2session?appid=a&secret=b&js_code=c&grant_type=authorization_code'],
  ['GET', '/cgi-bin/token?grant_type=client_credential&appid=a&secret=b'],
  ['POST', '/cgi-bin/stable_token'],
];

export const EVERY_ROUTE: RouteCase[] = [...CONSOLE_AND_CONTROL_ROUTES, ...SERVICE_ROUTES];
