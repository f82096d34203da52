// Keeps every line this test process writes: console calls and raw stdout/stderr writes, passing
// each on as usual. For the suites that check what reaches the terminal (nothing secret, nothing
// of a test's emulator); what that emulator's functions print is in emulator.output instead.
export interface CapturedOutput {
  readonly lines: string[];
  /** Puts console and the streams back as they were. */
  restore(): void;
}

const render = (a: unknown) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a));

export function captureOutput(): CapturedOutput {
  const lines: string[] = [];
  const undo: Array<() => void> = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      lines.push(args.map(render).join(' '));
      original.apply(console, args);
    };
    undo.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    undo.push(() => (stream.write = original));
  }
  return { lines, restore: () => undo.splice(0).reverse().forEach((u) => u()) };
}
