// The emulated store's write counter as GET /_emulator/stats reports it: unchanged across a call
// means the call wrote nothing anywhere.
export async function storeWrites(emulator: { url: string }): Promise<number> {
  const res = await fetch(`${emulator.url}/_emulator/stats`);
  return ((await res.json()) as { writes: number }).writes;
}
