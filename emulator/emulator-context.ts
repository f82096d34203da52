// Everything a running emulator holds, passed to its routes.
import type { FunctionRunner } from './runner/function-runner';
import type { InvocationLog } from './runner/invocation-log';
import type { DocumentStore } from './store/document-store';
import type { StorageConsole } from './storage';
import type { TimerScheduler } from './timers/timer-scheduler';
import type { TransactionManager } from './server-api/transactions';
import type { MigrationStorage } from './wechat/migration-storage';
import type { WechatState } from './wechat/wechat-state';

export interface EmulatorContext {
  envId: string;
  store: DocumentStore;
  transactions: TransactionManager;
  runner: FunctionRunner;
  log: InvocationLog;
  timers: TimerScheduler;
  wechat: WechatState;
  migrations: MigrationStorage;
  storage: StorageConsole;
  /** A function's deployments through the cloud API (tcb fn deploy), oldest first. */
  deploymentHistory: (name: string) => Array<{ source: 'build' | 'tcb deploy'; action: string; at: string; bytes: number }>;
}
