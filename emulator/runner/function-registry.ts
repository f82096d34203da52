// Finds the built functions (dist/functions/<name>/{index.js,config.json}) the emulator serves.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CLI_DEFAULT_RUNTIME, NODE_RUNTIMES } from '../../scripts/lib/runtimes';

const triggerSchema = z.object({ name: z.string(), type: z.literal('timer'), config: z.string() });

export const functionConfigSchema = z.object({
  timeout: z.number().positive().default(3),
  memorySize: z.number().optional(),
  triggers: z.array(triggerSchema).default([]),
  permissions: z.object({ openapi: z.array(z.string()).default([]) }).partial().default({}),
  /** HTTP access paths routed to this function (our convention; `npm run deploy` passes them as --path). */
  httpPaths: z.array(z.string().startsWith('/')).default([]),
  /** Handler names, written by the build from the router table (for the console). */
  handlers: z.array(z.string()).default([]),
  /** Which handler a timer event runs. */
  timerHandler: z.string().optional(),
  /** The CloudBase runtime, e.g. Nodejs20.19: the build copies it from cloudbaserc.json; a test fixture declares its own. */
  runtime: z.enum(NODE_RUNTIMES).optional(),
});

export type FunctionConfig = z.infer<typeof functionConfigSchema>;

export interface FunctionDefinition {
  name: string;
  entry: string;
  /** The entry's exported handler (the part after the dot of CloudBase's `index.main`). */
  handlerExport?: string;
  config: FunctionConfig;
  /** The runtime it is declared or deployed with (e.g. Nodejs20.19): its instances run on that Node.js. */
  runtime: string;
  /** Configuration variables a deploy set (Environment.Variables): they replace the emulator-wide ones. */
  configEnv?: Record<string, string>;
  /** Where the code being served came from: the build (dist/functions) or a tcb deploy. */
  origin?: FunctionOrigin;
}

export interface FunctionOrigin {
  source: 'build' | 'tcb deploy';
  at: string;
  bytes: number;
}

export function loadFunctions(dirs: readonly string[]): Map<string, FunctionDefinition> {
  const found = new Map<string, FunctionDefinition>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const entry = path.join(dir, name, 'index.js');
      if (!fs.existsSync(entry)) continue;
      const configFile = path.join(dir, name, 'config.json');
      const raw = fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, 'utf8')) : {};
      const stat = fs.statSync(entry);
      const config = functionConfigSchema.parse(raw);
      found.set(name, { name, entry: path.resolve(entry), config, runtime: config.runtime ?? CLI_DEFAULT_RUNTIME, origin: { source: 'build', at: stat.mtime.toISOString(), bytes: stat.size } });
    }
  }
  return found;
}
