// What a running emulator shows the one who started it (the CLI's banner, tests): the port
// registry, and the parts tests look into. Services never see this: they reach one another
// through the ports alone (port-registry.ts).
import type { PortRegistry } from './port-registry';
import type { Deployment, FunctionRunner, InvocationLog } from './runner/ports';
import type { DocumentStore } from './store/document-store';
import type { StorageConsole } from './storage/ports';
import type { TimerScheduler } from './timers/timer-scheduler';
import type { WechatState } from './wechat/wechat-state';

export interface EmulatorContext {
  envId: string;
  store: DocumentStore;
  runner: FunctionRunner;
  log: InvocationLog;
  timers: TimerScheduler;
  wechat: WechatState;
  storage: StorageConsole;
  /** A function's deployments through the cloud API (tcb fn deploy), oldest first. */
  deploymentHistory: (name: string) => Deployment[];
  ports: PortRegistry;
}
