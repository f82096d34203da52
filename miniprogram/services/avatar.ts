// chooseAvatar gives a local temporary path; the profile needs an http(s) URL. A local file is
// uploaded to cloud storage (folder avatars/, readable by all users: storage.rules.json) and its
// temporary URL used. ./backend.ts decides whether that storage is CloudBase's or the emulator's.
import { getTempFileURL, uploadFile } from './backend';

export async function publicAvatarUrl(path: string): Promise<string> {
  if (/^https:\/\//i.test(path)) return path;
  const ext = /\.[a-z0-9]{1,5}$/i.exec(path)?.[0] ?? '.png';
  const { fileID } = await uploadFile(`avatars/${Date.now()}-${Math.random().toString(36).slice(2, 10)}${ext}`, path);
  const [entry] = await getTempFileURL([fileID]);
  const url = entry?.tempFileURL;
  if (!url) throw Object.assign(new Error('avatar upload failed'), { errMsg: '头像上传失败，请重试' });
  return url;
}
