// X-TCB-Source on POST /functions/<name>: a test or a tool may say which mini-program client a
// call without X-WX-OPENID comes from (a broken client context), never that the platform itself
// made it. On CloudBase only the platform sets SOURCE (wx_trigger for a timer run), and production
// code trusts a timer caller like the server (shared/router/caller.ts); in the emulator only the
// scheduler and POST /_emulator/functions/<fn>/triggers/<t>/fire start timer runs.

/** getWXContext's SOURCE values for mini-program clients (WeChat docs, Cloud.getWXContext). */
const CLIENT_SOURCES = new Set(['wx_client', 'wx_devtools', 'wx_localdebug', 'wx_crawler']);

/** Why a declared source is refused, or undefined when it names a client (or none is declared). */
export function sourceRefusal(declared: string | undefined): string | undefined {
  if (declared === undefined || CLIENT_SOURCES.has(declared)) return undefined;
  return `X-TCB-Source may name a mini-program client only (${[...CLIENT_SOURCES].join(', ')}), not ${JSON.stringify(declared.slice(0, 60))}: timer runs come from the scheduler or POST /_emulator/functions/<name>/triggers/<trigger>/fire`;
}
