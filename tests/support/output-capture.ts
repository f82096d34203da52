// Keeps every line this test process writes: console calls and raw stdout/stderr writes (function
// instances print there), passing each on as usual. One helper for the suites that check what is
// logged (secrets, stack traces, configuration errors).
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

// Output a test provokes on purpose (a function's `[error] WeChat call failed…` line when the test
// made WeChat fail, a route's logged stack when the test sent it a broken request) is kept here for
// the test to assert, not printed; every other line is printed as usual, so an unexpected error is
// still seen. It covers console.* in this process and raw stdout/stderr writes, where function
// instances (child processes) print.
export interface OutputCapture {
  /** Every captured line, in order. */
  readonly lines: string[];
  /** The captured lines that match. */
  matching(pattern: RegExp): string[];
  restore(): void;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack ?? ''}` : JSON.stringify(a))).join(' ');

export function captureExpectedOutput(expected: RegExp[]): OutputCapture {
  const lines: string[] = [];
  const restores: Array<() => void> = [];
  const keep = (chunk: string): boolean => {
    if (!expected.some((p) => p.test(chunk))) return false;
    lines.push(...chunk.split('\n').filter((l) => l.trim() !== ''));
    return true;
  };
  for (const method of METHODS) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      if (!keep(text(args))) original.apply(console, args);
    };
    restores.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => (keep(String(chunk)) ? true : original(chunk, ...rest))) as typeof stream.write;
    restores.push(() => (stream.write = original as typeof stream.write));
  }
  return {
    lines,
    matching: (pattern) => lines.filter((l) => pattern.test(l)),
    restore: () => restores.reverse().forEach((r) => r()),
  };
}
