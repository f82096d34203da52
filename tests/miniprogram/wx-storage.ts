// The storage and network parts of the `wx` stand-in (see ./harness.ts), doing what WeChat's
// client does, against the emulator:
// - wx.cloud.uploadFile / getTempFileURL: the environment's cloud storage as the signed-in user
//   (POST /storage/client with X-WX-OPENID: storage.getUploadMetadata then COS's form upload;
//   storage.batchGetDownloadUrl), answered in wx.cloud's shapes;
// - wx.request / wx.uploadFile: plain HTTP with their callback shapes (what local mode uses);
// - local temporary files ("http://tmp/…", as chooseAvatar hands out): bytes the test registers.
import crypto from 'node:crypto';

export interface WxFiles {
  openid: string;
  /** Local temporary files by path, as the device holds them. */
  tempFiles: Map<string, Buffer>;
  /** Files given to wx.cloud.uploadFile. */
  uploads: Array<{ cloudPath: string; filePath: string }>;
}

/** Registers bytes as a local temporary file and returns its path (what chooseAvatar gives a page). */
export function addTempFile(files: WxFiles, bytes: Buffer, ext = '.png'): string {
  const filePath = `http://tmp/${crypto.randomBytes(6).toString('hex')}${ext}`;
  files.tempFiles.set(filePath, bytes);
  return filePath;
}

type Callbacks<T> = { success?: (res: T) => void; fail?: (err: { errMsg: string }) => void };

async function formUpload(url: string, name: string, bytes: Buffer, fields: Record<string, string>): Promise<{ statusCode: number; data: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(name, new Blob([bytes]), 'upload');
  const res = await fetch(url, { method: 'POST', body: form });
  return { statusCode: res.status, data: await res.text() };
}

export function storageWx(emulatorUrl: string, files: WxFiles) {
  const readTemp = (filePath: string) => {
    const bytes = files.tempFiles.get(filePath);
    if (!bytes) throw { errMsg: `uploadFile:fail file not found ${filePath}` };
    return bytes;
  };
  const client = async (body: Record<string, unknown>) => {
    const res = await fetch(`${emulatorUrl}/storage/client`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': files.openid }, body: JSON.stringify(body) });
    return JSON.parse(await res.text()) as { data?: Record<string, unknown>; code?: string; message?: string };
  };
  return {
    cloud: {
      uploadFile: async ({ cloudPath, filePath }: { cloudPath: string; filePath: string }) => {
        files.uploads.push({ cloudPath, filePath });
        const meta = await client({ action: 'storage.getUploadMetadata', path: cloudPath });
        if (!meta.data) throw { errCode: -1, errMsg: `cloud.uploadFile:fail ${meta.code} ${meta.message}` };
        const d = meta.data as Record<string, string>;
        const res = await formUpload(d.url as string, 'file', readTemp(filePath), { key: cloudPath, signature: d.authorization as string, 'x-cos-security-token': d.token as string, 'x-cos-meta-fileid': d.cosFileId as string, success_action_status: '201' });
        if (res.statusCode !== 201) throw { errCode: -1, errMsg: `cloud.uploadFile:fail ${res.data}` };
        return { fileID: d.fileId, statusCode: 200, errMsg: 'cloud.uploadFile:ok' };
      },
      getTempFileURL: async ({ fileList }: { fileList: string[] }) => {
        const res = await client({ action: 'storage.batchGetDownloadUrl', file_list: fileList.map((fileid) => ({ fileid, max_age: 86400 })) });
        if (!res.data) throw { errCode: -1, errMsg: `cloud.getTempFileURL:fail ${res.code} ${res.message}` };
        const list = res.data.download_list as Array<{ fileID: string; tempFileURL: string; code: string; maxAge: number }>;
        return { fileList: list.map((f) => ({ fileID: f.fileID, tempFileURL: f.tempFileURL, maxAge: f.maxAge, status: f.code === 'SUCCESS' ? 0 : -1, errMsg: f.code === 'SUCCESS' ? 'ok' : f.code })), errMsg: 'cloud.getTempFileURL:ok' };
      },
    },
    request: ({ url, method = 'GET', data, header = {}, success, fail }: { url: string; method?: string; data?: unknown; header?: Record<string, string> } & Callbacks<{ statusCode: number; data: unknown; header: Record<string, string> }>) => {
      void (async () => {
        try {
          const res = await fetch(url, { method, headers: header, body: method === 'GET' ? undefined : typeof data === 'string' ? data : JSON.stringify(data ?? {}) });
          const text = await res.text();
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON: wx.request gives the text */
          }
          success?.({ statusCode: res.status, data: parsed, header: Object.fromEntries(res.headers) });
        } catch (err) {
          fail?.({ errMsg: `request:fail ${(err as Error).message}` });
        }
      })();
    },
    uploadFile: ({ url, filePath, name, formData = {}, success, fail }: { url: string; filePath: string; name: string; formData?: Record<string, string> } & Callbacks<{ statusCode: number; data: string }>) => {
      void (async () => {
        try {
          success?.(await formUpload(url, name, readTemp(filePath), formData));
        } catch (err) {
          fail?.({ errMsg: (err as { errMsg?: string }).errMsg ?? `uploadFile:fail ${(err as Error).message}` });
        }
      })();
    },
  };
}
