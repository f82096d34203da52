// Benchmark baseline: a function holding only wx-server-sdk and cloud.init, the floor a real
// function's cold start is compared with.
import cloud from 'wx-server-sdk';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export async function main(): Promise<unknown> {
  return cloud.getWXContext();
}
