// The runner side of the cloud API's FunctionHost: lists the served functions in the API's terms
// and swaps a function's code and configuration in place (new calls get the new version at once).
import fs from 'node:fs';
import path from 'node:path';
import type { FunctionHost, HostedFunction } from './function-host';
import { functionConfigSchema, type FunctionDefinition } from './function-registry';
import type { FunctionRunner } from './function-runner';

function hosted(def: FunctionDefinition): HostedFunction {
  return {
    name: def.name,
    source: def.origin?.source ?? 'build',
    codeDir: path.dirname(def.entry),
    handler: `${path.basename(def.entry, '.js')}.${def.handlerExport ?? 'main'}`,
    runtime: def.runtime,
    timeout: def.config.timeout,
    memorySize: def.config.memorySize ?? 256,
    env: def.configEnv,
    timers: def.config.triggers.map((t) => ({ name: t.name, cron: t.config })),
    httpPaths: def.config.httpPaths,
    bytes: def.origin?.bytes ?? 0,
    updatedAt: def.origin?.at ?? new Date(0).toISOString(),
  };
}

/** Handler names and the timer's handler, from a config.json the build put in the package (console information only). */
function packagedConsoleInfo(codeDir: string): { handlers: string[]; timerHandler?: string } {
  try {
    const parsed = functionConfigSchema.safeParse(JSON.parse(fs.readFileSync(path.join(codeDir, 'config.json'), 'utf8')));
    return parsed.success ? { handlers: parsed.data.handlers, timerHandler: parsed.data.timerHandler } : { handlers: [] };
  } catch {
    return { handlers: [] };
  }
}

export function createFunctionHost(runner: FunctionRunner, changed: (name: string) => void): FunctionHost {
  return {
    list: () => runner.definitions().map(hosted),
    get: (name) => {
      const def = runner.definition(name);
      return def && hosted(def);
    },
    put(fn) {
      const dot = fn.handler.lastIndexOf('.');
      const previous = runner.definition(fn.name);
      const sameCode = previous !== undefined && path.dirname(previous.entry) === fn.codeDir;
      const info = sameCode ? { handlers: previous.config.handlers, timerHandler: previous.config.timerHandler } : packagedConsoleInfo(fn.codeDir);
      runner.install({
        name: fn.name,
        entry: path.join(fn.codeDir, `${fn.handler.slice(0, dot)}.js`),
        handlerExport: fn.handler.slice(dot + 1),
        // The cloud-call permissions are a config of their own on the platform (tcb/uploadfuncconfig
        // type 1, separate from the code): a code deploy keeps what the function had.
        config: functionConfigSchema.parse({ timeout: fn.timeout, memorySize: fn.memorySize, triggers: fn.timers.map((t) => ({ name: t.name, type: 'timer', config: t.cron })), httpPaths: fn.httpPaths, permissions: previous?.config.permissions ?? {}, ...info }),
        runtime: fn.runtime,
        configEnv: fn.env,
        origin: { source: fn.source, at: fn.updatedAt, bytes: fn.bytes },
      });
      changed(fn.name);
    },
    remove(name) {
      const removed = runner.remove(name);
      if (removed) changed(name);
      return removed;
    },
    invoke: async (name, event) => {
      const outcome = await runner.invoke(name, event, { source: 'tcb_cli' });
      return outcome.ok
        ? { ok: true, result: outcome.result, durationMs: outcome.durationMs, requestId: outcome.requestId, memBytes: outcome.memBytes, logs: outcome.logs }
        : { ok: false, kind: outcome.kind, message: outcome.message, stack: outcome.stack, durationMs: outcome.durationMs, requestId: outcome.requestId, memBytes: outcome.memBytes, logs: outcome.logs };
    },
  };
}
