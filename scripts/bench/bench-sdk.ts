// The real wx-server-sdk in the bench process, pointed at one emulator. The SDK keeps its first
// `cloud.init` for good, and bench parts run one after another against emulators of their own, so
// each call loads a fresh copy of the SDK and its @cloudbase modules.
import { createRequire } from 'node:module';

type Cloud = typeof import('wx-server-sdk');
const load = createRequire(__filename);

const SDK_MODULES = /[\\/]node_modules[\\/](wx-server-sdk|@cloudbase)[\\/]/;

export function benchSdk(emulatorUrl: string, envId: string, timeoutMs: number): Cloud {
  // Outside SCF the SDK first probes Tencent Cloud's metadata host, which never answers offline.
  process.env.TENCENTCLOUD_RUNENV = 'SCF';
  process.env.SCF_NAMESPACE = envId;
  process.env.TENCENTCLOUD_REGION ??= 'ap-shanghai';
  for (const key of Object.keys(load.cache)) if (SDK_MODULES.test(key)) delete load.cache[key];
  const cloud = load('wx-server-sdk') as Cloud;
  cloud.init({ env: envId, serviceUrl: `${emulatorUrl}/admin`, secretId: 'bench', secretKey: 'bench', timeout: timeoutMs } as never);
  return cloud;
}
