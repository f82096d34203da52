// What the emulator tells about runtimes: each function's runtime and the Node.js it really runs
// on, and, loudly, every function whose instances cannot run on their runtime's own Node.js.
import type { Diagnostics } from '../lib/output-sinks';
import type { FunctionDefinition } from './function-registry';
import type { InstancePlacement, RuntimePlacement } from './instance-placement';
import type { FunctionRuntimeView } from './runtime-view';

export function runtimeView(p: RuntimePlacement): FunctionRuntimeView {
  return { runtime: p.runtime, node: p.node, isolation: p.instances, ...(p.fallback ? { runtimeFallback: p.fallback } : {}) };
}

export function fallbackWarning(name: string, p: RuntimePlacement): string {
  return `[emulator] WARNING: function ${name} is declared ${p.runtime} but runs on Node.js ${p.node}: ${p.fallback}`;
}

/** Resolves every runtime the functions use and warns (on stderr by default) for each that falls back. */
export async function announceFallbacks(placement: InstancePlacement, defs: readonly FunctionDefinition[], diagnostics: Diagnostics): Promise<void> {
  for (const def of defs) {
    const p = await placement.place(def.runtime);
    // --runtime host is a choice made on the command line, told once by the banner rather than per function.
    if (p.fallback && placement.runtimeMode === 'declared') diagnostics.warn(fallbackWarning(def.name, p));
  }
}
