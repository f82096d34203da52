// Where the emulator's output goes: its own diagnostics (a route's unexpected error, a client gone
// before its answer, a runtime fallback) and what its functions print. Both reach the terminal by
// default, as `npm start` shows them; a test passes sinks that keep them (EmulatorSettings).

export interface Diagnostics {
  /** Something failed that no caller was told in full (`cause` carries its stack). */
  error(message: string, cause?: unknown): void;
  /** Something the one who started the emulator should know. */
  warn(message: string): void;
}

export const TERMINAL_DIAGNOSTICS: Diagnostics = {
  error: (message, cause) => (cause === undefined ? console.error(message) : console.error(message, cause)),
  warn: (message) => console.warn(message),
};

/** A chunk a function instance wrote to its stdout or stderr. */
export type FunctionOutput = (stream: 'stdout' | 'stderr', chunk: Buffer) => void;

export const TERMINAL_OUTPUT: FunctionOutput = (stream, chunk) => void process[stream].write(chunk);
