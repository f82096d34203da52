// miniprogram/services: every failure shape of the four functions becomes one CloudFunctionError
// carrying the function's own message; and no server code ships in the mini-program.
import fs from 'node:fs';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { compileMiniprogram, installWx } from './harness';

type Methods = Record<string, (input?: unknown) => Promise<unknown>>;
interface CallFunctionModule {
  CloudFunctionError: new (fn: string, code: string | number, message: string) => Error & { fn: string; code: string | number };
  fromRejection(fn: string, err: unknown): Error & { fn: string; code: string | number };
  messageOf(err: unknown): string;
}

let emulator: TestEmulator;
let root: string;
let services: { common: Methods; user: Methods; wechat: Methods; backdb: Methods; calls: CallFunctionModule };
beforeAll(async () => {
  emulator = await startTestEmulator();
  root = compileMiniprogram();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = <T>(name: string): T => require(path.join(root, 'services', name)) as T;
  services = {
    common: load<{ common: Methods }>('common').common,
    user: load<{ user: Methods }>('user').user,
    wechat: load<{ wechat: Methods }>('wechat').wechat,
    backdb: load<{ backdb: Methods }>('backdb').backdb,
    calls: load<CallFunctionModule>('call-function'),
  };
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function failure(call: Promise<unknown>) {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(services.calls.CloudFunctionError);
  const { fn, code, message, stack } = err as Error & { fn: string; code: unknown };
  expect(message).not.toMatch(/callFunction|\bat \S+ \(|\n/);
  expect(stack).toBeDefined();
  return { fn, code, message };
}

describe('the service clients', () => {
  beforeAll(async () => {
    installWx(emulator, 'o_mp_services');
    await services.common.login?.();
  });

  it('return the functions\' answers with their documented shapes', async () => {
    expect(await services.common.auth?.()).toEqual([]);
    expect(await services.user.addHistory?.({ hist: 'hello' })).toEqual(['hello']);
    expect(await services.user.getHistory?.()).toEqual(['hello']);
    expect(await services.user.cleanHistory?.()).toEqual([]);
    expect(await services.wechat.usersCount?.()).toMatchObject({ code: 200, msg: 'ok', data: { total_users: expect.any(Number) } });
  });

  it('common: a rejected call → its code and message, parsed out of errMsg', async () => {
    expect(await failure(services.common.setUserInfo!({ nickname: '', avatarUrl: 'https://a.example/x.png' }))).toEqual({ fn: 'common', code: 'INVALID_PARAMS', message: 'nickname must be 1-32 characters' });
  });

  it('backdb: a rejected call → its code and message', async () => {
    expect(await failure(services.backdb.listJobs!())).toEqual({ fn: 'backdb', code: 'FORBIDDEN', message: 'the backdb feature has not been granted to you' });
  });

  it('user: { code < 0 } → that code and msg', async () => {
    expect(await failure(services.user.addHistory!({ hist: '  ' }))).toEqual({ fn: 'user', code: -1, message: 'hist must not be empty' });
    installWx(emulator, 'o_mp_services_unregistered');
    expect(await failure(services.user.get!())).toEqual({ fn: 'user', code: -4, message: 'user does not exist' });
    installWx(emulator, 'o_mp_services');
  });

  it('wechat: { code >= 400 } → that code and msg', async () => {
    expect(await failure(services.wechat.login!({ users_wx_code: ' ' }))).toEqual({ fn: 'wechat', code: 400, message: 'users_wx_code must not be empty' });
    installWx(emulator, 'o_mp_services_unregistered');
    expect(await failure(services.wechat.profile!({ users_name: 'a', users_phone_code: 'x', users_picture: 'https://a.example/x.png' }))).toEqual({ fn: 'wechat', code: 401, message: 'the token user no longer exists' });
    installWx(emulator, 'o_mp_services');
  });

  it('platform failures and the real SDK\'s errMsg (with a stack) → a message without the stack', () => {
    const { fromRejection, messageOf } = services.calls;
    const real = fromRejection('common', {
      errCode: -404011,
      errMsg: 'cloud.callFunction:fail Error: errCode: -404011 cloud function execution error | errMsg: Error: INVALID_PARAMS: nickname must be 1-32 characters\n    at Object.failure (/var/user/index.js:1:2345)\n    at dispatch (/var/user/index.js:1:999)',
    });
    expect({ code: real.code, message: real.message }).toEqual({ code: 'INVALID_PARAMS', message: 'nickname must be 1-32 characters' });
    const oneLine = fromRejection('backdb', { errMsg: 'cloud.callFunction:fail -504002 functions execute fail. JOB_NOT_READY: job 7 is not finished (status: migrating) at Object.run (/var/user/index.js:2:10) at async main (/var/user/index.js:3:1)' });
    expect({ code: oneLine.code, message: oneLine.message }).toEqual({ code: 'JOB_NOT_READY', message: 'job 7 is not finished (status: migrating)' });
    // " at " inside a message is not a stack.
    expect(fromRejection('common', { errMsg: 'cloud.callFunction:fail -504002 functions execute fail. INVALID_PARAMS: hist must be at most 100 characters' }).message).toBe('hist must be at most 100 characters');
    const timeout = fromRejection('user', { errCode: -504003, errMsg: 'cloud.callFunction:fail -504003 functions execute timeout' });
    expect({ fn: timeout.fn, code: timeout.code, message: timeout.message }).toEqual({ fn: 'user', code: -504003, message: '-504003 functions execute timeout' });
    expect(fromRejection('wechat', {}).message).toBe('the wechat function could not be called');
    expect(messageOf(timeout)).toBe('-504003 functions execute timeout');
    expect(messageOf({ errMsg: 'login:fail timeout' })).toBe('login:fail timeout');
    expect(messageOf(new TypeError('x is undefined'))).toBe('出错了，请稍后重试');
  });
});

describe('the app', () => {
  it('lists the four pages, each with its .ts/.wxml/.wxss/.json', () => {
    const miniprogram = path.resolve(__dirname, '../../miniprogram');
    const { pages } = JSON.parse(fs.readFileSync(path.join(miniprogram, 'app.json'), 'utf8')) as { pages: string[] };
    expect(pages).toEqual(['pages/start/index', 'pages/profile/index', 'pages/search/index', 'pages/backups/index']);
    for (const page of pages) for (const ext of ['ts', 'wxml', 'wxss', 'json']) expect(fs.existsSync(path.join(miniprogram, `${page}.${ext}`))).toBe(true);
  });

  it('initialises wx.cloud on launch with the environment from config.ts', () => {
    const globals = globalThis as unknown as { App?: (options: { onLaunch(): void }) => void; wx: { cloud: { init: unknown } } };
    const inits: unknown[] = [];
    let app: { onLaunch(): void } | undefined;
    globals.App = (options) => {
      app = options;
    };
    const init = globals.wx.cloud.init;
    globals.wx.cloud.init = (config: unknown) => inits.push(config);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(root, 'app'));
      app?.onLaunch();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CLOUD_ENV_ID } = require(path.join(root, 'config')) as { CLOUD_ENV_ID: string };
      expect(inits).toEqual([CLOUD_ENV_ID ? { env: CLOUD_ENV_ID, traceUser: true } : { traceUser: true }]);
    } finally {
      globals.wx.cloud.init = init;
      delete globals.App;
    }
  });
});

describe('what ships in the mini-program', () => {
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') || e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));

  it('imports the function contracts as types only', () => {
    const miniprogram = path.resolve(__dirname, '../../miniprogram');
    for (const file of sources(miniprogram)) {
      for (const [statement, from] of fs.readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)';/gms)) {
        const resolved = path.resolve(path.dirname(file), from as string);
        const outside = !(from as string).startsWith('.') || !resolved.startsWith(miniprogram + path.sep);
        if (outside) expect({ file: path.relative(miniprogram, file), statement }).toEqual({ file: path.relative(miniprogram, file), statement: expect.stringMatching(/^import type /) });
      }
    }
  });

  it('compiles to code that requires nothing outside miniprogram/', () => {
    for (const file of sources(root)) {
      for (const [, from] of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        expect({ file: path.relative(root, file), from, inside: path.resolve(path.dirname(file), from as string).startsWith(root + path.sep) }).toEqual({ file: path.relative(root, file), from, inside: true });
      }
    }
  });
});
