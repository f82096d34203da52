// A mini-program user's upload as wx.cloud.uploadFile makes it: the upload grant from
// storage.getUploadMetadata (as the user, through local mode's /storage/client), then COS's POST
// Object form (key, Signature, x-cos-meta-fileid, optional Content-Type, then the file last).
import type { TestEmulator } from '../../support/emulator';

export interface Grant {
  url: string;
  authorization: string;
  cosFileId: string;
  fileId: string;
  download_url?: string;
}

export async function uploadGrant(emulator: TestEmulator, openid: string, cloudPath: string): Promise<Grant> {
  const res = await emulator.post<{ data?: Grant; code?: string; message?: string }>('/storage/client', { action: 'storage.getUploadMetadata', path: cloudPath }, { 'x-wx-openid': openid });
  if (!res.body.data) throw new Error(`getUploadMetadata ${cloudPath} refused: ${res.body.code} ${res.body.message}`);
  return res.body.data;
}

export async function formUpload(emulator: TestEmulator, openid: string, cloudPath: string, bytes: string | Buffer, type: string, fields: Record<string, string> = {}): Promise<Response> {
  const grant = await uploadGrant(emulator, openid, cloudPath);
  const form = new FormData();
  for (const [k, v] of Object.entries({ key: cloudPath, signature: grant.authorization, 'x-cos-meta-fileid': grant.cosFileId, ...fields })) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), cloudPath.split('/').pop());
  return fetch(grant.url, { method: 'POST', body: form });
}

/** The public download URL of a file in a folder everyone may read (CloudBase's public-read objects). */
export const publicUrl = (emulator: TestEmulator, cloudPath: string) => `${emulator.url}/storage/download/${emulator.context.storage.fileId(cloudPath).split('/')[2]?.split('.').slice(1).join('.')}/${cloudPath.split('/').map(encodeURIComponent).join('/')}`;
