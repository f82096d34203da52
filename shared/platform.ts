// The one module that touches wx-server-sdk: initialises it for the current environment and
// hands out the database and the caller's WeChat context. Everything else goes through here.
import cloud from 'wx-server-sdk';

// DYNAMIC_CURRENT_ENV is a symbol the SDK typings do not admit; throwOnNotFound is missing from them.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export type Database = ReturnType<typeof cloud.database>;
export type WXContext = ReturnType<typeof cloud.getWXContext>;

let database: Database | undefined;

export function getDatabase(): Database {
  database ??= cloud.database({ throwOnNotFound: false } as Parameters<typeof cloud.database>[0]);
  return database;
}

/** Read per invocation: the context lives in process.env and changes with every call. */
export function getWXContext(): WXContext {
  return cloud.getWXContext();
}

/** Deletes cloud storage files by file ID (at most 50 per call, CloudBase's batch limit); the IDs actually deleted. */
export async function deleteCloudFiles(fileIDs: string[]): Promise<string[]> {
  const { fileList } = (await cloud.deleteFile({ fileList: fileIDs })) as unknown as { fileList: Array<{ fileID: string; status: number }> };
  return fileList.filter((f) => f.status === 0).map((f) => f.fileID);
}
