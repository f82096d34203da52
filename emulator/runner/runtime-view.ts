// How the emulator shows a function's runtime (GET /_emulator/functions, the console): the runtime
// it was declared or deployed with and the Node.js it really runs on. Types only, for the console UI too.

export type InstanceIsolation = 'process' | 'worker thread';

export interface FunctionRuntimeView {
  runtime: string;
  /** The Node.js version the instances run on, e.g. 18.15.0. */
  node: string;
  /** What one instance is: a process of its own, or a worker thread in the emulator (`--runtime host`). */
  isolation: InstanceIsolation;
  /** Present only when the function does not run on its runtime's Node.js: why. */
  runtimeFallback?: string;
}
