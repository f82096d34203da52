// Benchmark baseline: wx-server-sdk, cloud.init, and one database read — the floor a real
// function's cold start (require plus its first call) is compared with. The bench builds it three
// ways: the unmodified SDK from node_modules, the unmodified SDK bundled, and bundled with the
// SDK's AI and data-model clients stubbed as our function bundles have them.
import cloud from 'wx-server-sdk';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export async function main(event: { openid: string }): Promise<unknown> {
  const result = await cloud.database().collection('users').where({ openid: event.openid }).limit(1).get();
  return (result as { data: unknown[] }).data;
}
