// Helpers for the `user` function's tests: call a handler and get its { code, msg, data } envelope,
// read users documents through the real wx-server-sdk, and read the store's write counter.
import { sdkFor, type TestEmulator } from './emulator';
import { storeWrites } from './store-writes';

export interface Envelope<T = unknown> {
  code: number;
  msg: string;
  data: T;
}

export type UserDocument = Record<string, unknown> & { _id: string; openid: string; id: number };
type Rows = { data: UserDocument[] };

export function userApi(emulator: TestEmulator) {
  let database: ReturnType<ReturnType<typeof sdkFor>['database']> | undefined;
  /** The database through the real SDK, initialised once (cloud.init costs ~50 ms a call). */
  const db = () => {
    // The SDK runs as if inside SCF (see sdkFor) and logs a stack trace per request without this.
    process.env.SCF_NAMESPACE = emulator.context.envId;
    database ??= sdkFor(emulator).database();
    return database;
  };

  /** Calls user.<name>; every answer of the user function must be HTTP 200 with an envelope. */
  async function call<T = unknown>(name: string, payload: Record<string, unknown> = {}, openid?: string): Promise<Envelope<T>> {
    const res = await emulator.callFunction<Envelope<T>>('user', { name, ...payload }, openid);
    if (res.status !== 200 || !res.body.result) throw new Error(`user.${name} answered HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.result;
  }

  async function usersWith(openid: string): Promise<UserDocument[]> {
    return ((await db().collection('users').where({ openid }).get()) as unknown as Rows).data;
  }

  async function userDoc(openid: string): Promise<UserDocument> {
    const [doc] = await usersWith(openid);
    if (!doc) throw new Error(`no user document for ${openid}`);
    return doc;
  }

  /** Registers `openid` through user.login (as that end user) and returns its view. */
  async function register(openid: string, profile: Record<string, unknown>): Promise<Record<string, unknown> & { id: number; openid: string }> {
    const res = await call<Record<string, unknown> & { id: number; openid: string }>('login', profile, openid);
    if (res.code !== 0) throw new Error(`could not register ${openid}: ${JSON.stringify(res)}`);
    return res.data;
  }

  /** The store's write counter: unchanged across a call means the call wrote nothing anywhere. */
  const writes = () => storeWrites(emulator);

  return { call, usersWith, userDoc, register, writes, db };
}

export const TIME_FORMAT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
