// SCF's function Status (https://cloud.tencent.com/document/api/583/47175): `Creating` / `Updating`
// while a create or a code update is being applied, `Active` once the function is available. The
// emulator applies each change before it answers the request, so a function is Active again by
// the time the client hears back; only a request that arrives while another one is still being
// applied (unpacking a code package) sees Creating or Updating, and a change then is refused as
// the platform refuses changes to a function that is not Active.
import { CloudApiError } from '../lib/api3-action';
import type { HostedFunction } from '../runner/ports';

export type PendingStatus = 'Creating' | 'Updating';

/** The SCF error for each change tried while the function is Creating or Updating (tencentcloud-sdk-go, scf/v20180416/errors.go). */
const BUSY = {
  UpdateFunctionCode: ['FailedOperation.UpdateFunctionCode', '当前函数状态无法更新代码，请在状态为正常时更新。'],
  UpdateFunctionConfiguration: ['FailedOperation.UpdateFunctionConfiguration', 'UpdateFunctionConfiguration操作失败。'],
  BatchCreateTrigger: ['FailedOperation.CreateTrigger', '当前函数状态无法进行此操作。'],
  DeleteFunction: ['FailedOperation.DeleteFunction', '当前函数状态无法进行此操作，请在函数状态正常时重试。'],
} as const satisfies Record<string, readonly [code: string, message: string]>;

export class FunctionStatuses {
  private readonly pending = new Map<string, { status: PendingStatus; draft?: HostedFunction }>();

  /** Creating or Updating while a change to `name` is being applied, else undefined (the function is as it is served). */
  pendingOf(name: string): PendingStatus | undefined {
    return this.pending.get(name)?.status;
  }

  /** Functions being created: not served yet, described from their CreateFunction request. */
  drafts(): HostedFunction[] {
    return [...this.pending.values()].flatMap((p) => (p.draft ? [p.draft] : []));
  }

  /** Refuses `action` (one of ours, never a caller's name) on a function that is Creating or Updating. */
  refuseWhileBusy(name: string, action: keyof typeof BUSY): void {
    const status = this.pending.get(name)?.status;
    if (!status) return;
    const [code, message] = BUSY[action];
    throw new CloudApiError(code, `${message} (function ${name} is ${status}.)`);
  }

  /**
   * Runs `apply` with `name` in `status` until it settles; the mark is set before `apply` first
   * yields. `draft` describes a function being created until it is served.
   */
  async during<T>(name: string, status: PendingStatus, apply: () => Promise<T>, draft?: HostedFunction): Promise<T> {
    this.pending.set(name, { status, draft });
    try {
      return await apply();
    } finally {
      this.pending.delete(name);
    }
  }
}
