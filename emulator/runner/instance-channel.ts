// Starts one function instance and talks to it: a child process on a given Node.js executable (an
// SCF instance is a process of its own, on its runtime's Node.js), or a worker thread inside the
// emulator (`--runtime host`, the cheaper mode the bench compares with). Both run
// instance-bootstrap.cjs and exchange the same messages.
import { fork } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FunctionOutput } from '../lib/output-sinks';

const BOOTSTRAP = path.join(__dirname, 'instance-bootstrap.cjs');

export type InstanceMode = { kind: 'process'; execPath: string } | { kind: 'worker' };

export interface InstanceInit {
  entry: string;
  handlerExport: string;
  perCallKeys: readonly string[];
}

export type InstanceMessage =
  | { type: 'ready'; loadMs: number; node: string }
  | { type: 'fatal'; message: string }
  | { type: 'done'; id: string; ok: boolean; result?: string; error?: { message: string; errCode?: number; stack?: string }; heapBytes?: number; logs?: string };

export interface InstanceChannel {
  send(message: unknown): void;
  onMessage(listener: (message: InstanceMessage) => void): void;
  /** Once, when the instance is gone: why, in words. */
  onDeath(listener: (reason: string) => void): void;
  stop(): Promise<void>;
}

/** `output` gets what the instance prints, from a process and a worker alike. */
export function startInstance(mode: InstanceMode, init: InstanceInit, env: Record<string, string>, output: FunctionOutput): InstanceChannel {
  return mode.kind === 'process' ? startProcess(mode.execPath, init, env, output) : startWorker(init, env, output);
}

function startProcess(execPath: string, init: InstanceInit, env: Record<string, string>, output: FunctionOutput): InstanceChannel {
  const child = fork(BOOTSTRAP, [JSON.stringify(init)], { execPath, execArgv: [], env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
  child.stdout?.on('data', (chunk: Buffer) => output('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => output('stderr', chunk));
  let fatal: string | undefined;
  // 'close' (not 'exit') comes after the last IPC message, so a 'fatal' sent just before dying is in.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) =>
      child.on('message', (message: InstanceMessage) => {
        if (message.type === 'fatal') fatal = message.message;
        else listener(message);
      }),
    onDeath: (listener) => {
      child.once('error', (err) => listener(`function instance could not start: ${err.message}`));
      child.once('close', (code, signal) => listener(fatal ?? `function instance exited with ${signal ? `signal ${signal}` : `code ${code}`}`));
    },
    stop: async () => {
      if (child.pid === undefined) return; // never started (its 'error' said why)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await closed;
    },
  };
}

function startWorker(init: InstanceInit, env: Record<string, string>, output: FunctionOutput): InstanceChannel {
  // Piped, not left to reach the emulator's own stdout, so that it goes where a process's does.
  const worker = new Worker(BOOTSTRAP, { env, workerData: init, stdout: true, stderr: true });
  worker.stdout.on('data', (chunk: Buffer) => output('stdout', chunk));
  worker.stderr.on('data', (chunk: Buffer) => output('stderr', chunk));
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onDeath: (listener) => {
      worker.once('error', (err) => listener(`function instance crashed: ${err.message}`));
      worker.once('exit', (code) => listener(`function instance exited with code ${code}`));
    },
    stop: async () => {
      await worker.terminate();
    },
  };
}
