// Waits for a condition the code under test brings about (a job finished, a line logged), checking
// between turns of the event loop. It never stands in for a delay: what it waits for is named.
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, tries = 2000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, i < 50 ? 1 : 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}
