// What a test's emulator printed: its functions' console output and its own diagnostics, kept
// instead of printed (a green run shows jest's lines alone) for the test to assert, and saved to
// test-artifacts/output/<test file>.log when the emulator closes, to be read after a failing run.
import { StringDecoder } from 'node:string_decoder';
import { inspect } from 'node:util';
import type { Diagnostics, FunctionOutput } from '../../emulator/lib/output-sinks';
import { artifactPath, writeArtifact } from './artifacts';

export interface EmulatorOutput {
  /** Every line the function instances printed (stdout and stderr), in order. */
  functionLines(): string[];
  /** The emulator's own reports, in order; a cause's stack follows its message on further lines. */
  diagnostics(): string[];
  /** Both, in the order they came. */
  all(): string[];
}

export interface OutputCollector extends EmulatorOutput {
  functionOutput: FunctionOutput;
  diagnosticsSink: Diagnostics;
  /** Appends what was kept to this test file's log (the file's first emulator starts it afresh). */
  save(title: string): void;
}

export function collectOutput(): OutputCollector {
  const entries: Array<{ kind: 'function' | 'diagnostic'; text: string }> = [];
  // A chunk may end mid-line (or mid-character): the rest comes with the stream's next chunk.
  const partial = { stdout: '', stderr: '' };
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const report = (message: string, cause?: unknown) =>
    void entries.push({ kind: 'diagnostic', text: cause === undefined ? message : `${message}\n${typeof cause === 'string' ? cause : inspect(cause)}` });
  const pending = () => [partial.stdout, partial.stderr].filter((p) => p !== '').map((text) => ({ kind: 'function' as const, text }));
  const texts = (kind?: 'function' | 'diagnostic') => [...entries, ...pending()].filter((e) => kind === undefined || e.kind === kind).map((e) => e.text);
  return {
    functionOutput: (stream, chunk) => {
      const lines = (partial[stream] + decoders[stream].write(chunk)).split('\n');
      partial[stream] = lines.pop() as string;
      for (const text of lines) entries.push({ kind: 'function', text });
    },
    diagnosticsSink: { error: report, warn: (message) => report(message) },
    functionLines: () => texts('function'),
    diagnostics: () => texts('diagnostic'),
    all: () => texts(),
    save: (title) => writeArtifact(artifactPath('output', 'log'), `--- ${title}\n${texts().map((t) => `${t}\n`).join('')}`),
  };
}
