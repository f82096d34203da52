// Shapes of the emulator API replies the screens read, inferred from the services' own route
// tables (each service's ports.ts names its contract), as the mini-program infers its functions'
// replies from their routers: a reply changed on the server changes here, and tsc checks the screens.
import type { CloudCallsControlContract } from '../../cloud-calls/ports';
import type { ApiContract, Json, JsonObject } from '../../http/api-table';
import type { FunctionsConsoleContract, InvocationRecord } from '../../runner/ports';
import type { DataConsoleContract } from '../../server-api/ports';
import type { StorageConsoleContract } from '../../storage/ports';
import type { TimersControlContract } from '../../timers/ports';
import type { BackupsConsoleContract, WechatControlContract } from '../../wechat/ports';
import type { infoRoutes } from '../api/info-api';

export type { Json, JsonObject };
export type CollectionInfo = DataConsoleContract['collections'][number];
export type DocumentPage = DataConsoleContract['documents'];
export type FunctionInfo = FunctionsConsoleContract['functions'][number];
export type InvokeReply = FunctionsConsoleContract['invoke'];
/** An invocation record as the log stream sends it (JSON). */
export type LogRecord = Omit<InvocationRecord, 'event' | 'result'> & { event: Json; result?: Json };
export type TimerInfo = TimersControlContract['timers'][number];
export type FireReply = TimersControlContract['fire'];
export type WechatStateReply = WechatControlContract['state'];
export type MintedCode = WechatControlContract['loginCode'] & WechatControlContract['phoneCode'];
export type BackupJob = BackupsConsoleContract['backups'][number];
export type ConsoleInfo = ApiContract<ReturnType<typeof infoRoutes>>['info'];
export type StorageFolder = StorageConsoleContract['folder'];
export type StoredFile = StorageFolder['files'][number];
export type FolderRule = StorageFolder['rule'];
export type StorageRule = FolderRule['read'];
export type UploadGrant = StorageConsoleContract['uploadUrl'];
/** GET /_emulator/openapi/state: the cloud-call stand-ins' configuration and outbox. */
export type CloudCallsState = CloudCallsControlContract['state'];
export type ContentWord = CloudCallsState['words'][number];
