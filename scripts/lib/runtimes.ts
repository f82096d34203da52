// CloudBase's Node.js runtime names (cloudbaserc.json `runtime`, SCF's `Runtime`) and what follows
// from one: the Node.js version it runs and the esbuild target that matches it.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The runtimes @cloudbase/cli 2.12.10 offers (dist/standalone/cli.js); Nodejs22.21 and Nodejs24.11
 * are marked public beta there. docs.cloudbase.net "cloud-function/runtime-support" lists the same.
 */
export const NODE_RUNTIMES = ['Nodejs16.13', 'Nodejs18.15', 'Nodejs20.19', 'Nodejs22.21', 'Nodejs24.11'] as const;
export type NodeRuntime = (typeof NODE_RUNTIMES)[number];

/** What the CLI deploys with when cloudbaserc.json names no runtime (cli.js's default), and so what CreateFunction gets. */
export const CLI_DEFAULT_RUNTIME: NodeRuntime = 'Nodejs18.15';

/** The runtime this project deploys on: the newest that is generally available and that the CLI deploys (README, "Runtime"). */
export const PROJECT_RUNTIME: NodeRuntime = 'Nodejs20.19';

export function isNodeRuntime(name: string): name is NodeRuntime {
  return (NODE_RUNTIMES as readonly string[]).includes(name);
}

/** `NodejsX.Y` runs Node.js X.Y.0. */
export function nodeVersionOf(runtime: NodeRuntime): string {
  return `${runtime.slice('Nodejs'.length)}.0`;
}

/** esbuild's target for a runtime: it lowers syntax only, never APIs (those are the runtime-parity tests' job). */
export function esbuildTargetOf(runtime: NodeRuntime): string {
  return `node${nodeVersionOf(runtime)}`;
}

interface RcFunction {
  name: string;
  runtime?: string;
}

/** Each function's declared runtime in a cloudbaserc.json; a function it does not list is absent. */
export function declaredRuntimes(rcFile: string): Map<string, NodeRuntime> {
  const out = new Map<string, NodeRuntime>();
  if (!fs.existsSync(rcFile)) return out;
  const rc = JSON.parse(fs.readFileSync(rcFile, 'utf8')) as { functions?: RcFunction[] };
  for (const fn of rc.functions ?? []) {
    const runtime = fn.runtime ?? CLI_DEFAULT_RUNTIME;
    if (!isNodeRuntime(runtime)) throw new Error(`${path.basename(rcFile)}: function ${fn.name} declares runtime ${runtime}, which is not one of ${NODE_RUNTIMES.join(', ')}`);
    out.set(fn.name, runtime);
  }
  return out;
}
