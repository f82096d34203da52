// Where a function's instances run. 'declared' (the default): processes on the Node.js its runtime
// names, as on CloudBase, or on the host's Node.js with the reason when that one cannot be had.
// 'host' (`--runtime host`): worker threads in the emulator's own Node.js, whatever the runtime
// says; cheaper, and blind to what differs between Node.js versions (docs/runtime.md).
import type { InstanceMode } from './instance-channel';
import { NodeBinaries, hostNodeVersion } from './node-binaries';
import type { InstanceIsolation } from './runtime-view';

export type RuntimeMode = 'declared' | 'host';

export interface RuntimePlacement {
  /** The runtime the function was declared or deployed with. */
  runtime: string;
  /** The Node.js version its instances really run on. */
  node: string;
  instances: InstanceIsolation;
  /** Why the instances do not run on the runtime's own Node.js; absent when they do. */
  fallback?: string;
  mode: InstanceMode;
}

export interface InstancePlacement {
  readonly runtimeMode: RuntimeMode;
  place(runtime: string): Promise<RuntimePlacement>;
}

export function createPlacement(runtimeMode: RuntimeMode, binaries = new NodeBinaries()): InstancePlacement {
  if (runtimeMode === 'host') {
    return {
      runtimeMode,
      place: async (runtime) => ({ runtime, node: hostNodeVersion(), instances: 'worker thread', fallback: runtimeOnHost(runtime), mode: { kind: 'worker' } }),
    };
  }
  return {
    runtimeMode,
    place: async (runtime) => {
      const binary = await binaries.resolve(runtime);
      return { runtime, node: binary.version, instances: 'process', fallback: binary.fallback, mode: { kind: 'process', execPath: binary.execPath } };
    },
  };
}

function runtimeOnHost(runtime: string): string | undefined {
  return `--runtime host: worker threads on the emulator's Node.js ${hostNodeVersion()}, not ${runtime}'s`;
}
