// The one place that decides where the mini-program's backend is: CloudBase through wx.cloud
// (EMULATOR_URL empty, production), or a local emulator (local mode, config.ts). In local mode
// each call goes where wx.cloud would have sent it, over wx.request / wx.uploadFile:
//   callFunction    POST <emulator>/functions/<name> with X-WX-OPENID: DEV_OPENID
//   uploadFile      POST <emulator>/storage/client storage.getUploadMetadata, then wx.uploadFile
//                   of the file to the URL it names (COS's form upload)
//   getTempFileURL  POST <emulator>/storage/client storage.batchGetDownloadUrl
//   login           a wx.login code DEV_OPENID's, minted by the emulator's WeChat stand-in
//                   (POST <emulator>/_emulator/wechat/login-code), which knows no real WeChat code
// Answers have wx.cloud's shapes, failures its { errCode, errMsg }, so callers cannot tell.
import { CLOUD_ENV_ID, DEV_OPENID, EMULATOR_URL } from '../config';

export interface TempFileEntry {
  fileID: string;
  tempFileURL: string;
  status: number;
  errMsg: string;
}

export function initBackend(): void {
  if (EMULATOR_URL) return;
  if (!wx.cloud) {
    console.error('wx.cloud is missing: use base library 2.2.3 or later');
    return;
  }
  wx.cloud.init(CLOUD_ENV_ID ? { env: CLOUD_ENV_ID, traceUser: true } : { traceUser: true });
}

/** wx.login's code, for the functions to exchange (code2session) for the user's openid. */
export async function login(): Promise<{ code: string }> {
  if (!EMULATOR_URL) {
    const { code } = await wx.login();
    return { code };
  }
  const res = await request('/_emulator/wechat/login-code', { openid: DEV_OPENID });
  const code = (res.data as { code?: unknown } | undefined)?.code;
  if (res.statusCode !== 200 || typeof code !== 'string') throw { errCode: -1, errMsg: `login:fail HTTP ${res.statusCode}` };
  return { code };
}

export async function callFunction(name: string, data: unknown): Promise<{ result: unknown }> {
  if (!EMULATOR_URL) {
    const { result } = await wx.cloud.callFunction({ name, data: data as WechatMiniprogram.IAnyObject });
    return { result };
  }
  const res = await request(`/functions/${encodeURIComponent(name)}`, data);
  const body = (res.data ?? {}) as { result?: unknown; errCode?: number; errMsg?: string };
  if (res.statusCode < 200 || res.statusCode >= 300) throw { errCode: body.errCode ?? -1, errMsg: `cloud.callFunction:fail ${body.errMsg ?? `HTTP ${res.statusCode}`}` };
  return { result: body.result };
}

export async function uploadFile(cloudPath: string, filePath: string): Promise<{ fileID: string }> {
  if (!EMULATOR_URL) {
    const { fileID } = await wx.cloud.uploadFile({ cloudPath, filePath });
    return { fileID };
  }
  const meta = await storageCall<{ url: string; token: string; authorization: string; fileId: string; cosFileId: string }>('uploadFile', { action: 'storage.getUploadMetadata', path: cloudPath });
  const statusCode = await new Promise<number>((resolve, reject) => {
    wx.uploadFile({
      url: meta.url,
      filePath,
      name: 'file',
      formData: { key: cloudPath, signature: meta.authorization, 'x-cos-security-token': meta.token, 'x-cos-meta-fileid': meta.cosFileId, success_action_status: '201' },
      success: (res) => resolve(res.statusCode),
      fail: (err) => reject({ errCode: -1, errMsg: `cloud.uploadFile:fail ${err.errMsg}` }),
    });
  });
  if (statusCode !== 201) throw { errCode: -1, errMsg: `cloud.uploadFile:fail HTTP ${statusCode}` };
  return { fileID: meta.fileId };
}

export async function getTempFileURL(fileIDs: string[]): Promise<TempFileEntry[]> {
  if (!EMULATOR_URL) {
    const { fileList } = await wx.cloud.getTempFileURL({ fileList: fileIDs });
    return fileList.map((f) => ({ fileID: f.fileID, tempFileURL: f.tempFileURL, status: f.status, errMsg: f.errMsg }));
  }
  const data = await storageCall<{ download_list: Array<{ fileID: string; tempFileURL: string; code: string; message?: string }> }>('getTempFileURL', {
    action: 'storage.batchGetDownloadUrl',
    file_list: fileIDs.map((fileid) => ({ fileid, max_age: 86400 })),
  });
  return data.download_list.map((f) => ({ fileID: f.fileID, tempFileURL: f.code === 'SUCCESS' ? f.tempFileURL : '', status: f.code === 'SUCCESS' ? 0 : -1, errMsg: f.code === 'SUCCESS' ? 'ok' : `${f.code} ${f.message ?? ''}`.trim() }));
}

async function storageCall<T>(api: string, body: Record<string, unknown>): Promise<T> {
  const res = await request('/storage/client', body);
  const answer = (res.data ?? {}) as { data?: T; code?: string; message?: string };
  if (res.statusCode !== 200 || !answer.data) throw { errCode: -1, errMsg: `cloud.${api}:fail ${answer.code ?? `HTTP ${res.statusCode}`} ${answer.message ?? ''}`.trim() };
  return answer.data;
}

function request(pathname: string, data: unknown): Promise<{ statusCode: number; data: unknown }> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${EMULATOR_URL}${pathname}`,
      method: 'POST',
      data: data as WechatMiniprogram.IAnyObject,
      header: { 'content-type': 'application/json', 'x-wx-openid': DEV_OPENID },
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject({ errCode: -1, errMsg: `request:fail ${err.errMsg}` }),
    });
  });
}
