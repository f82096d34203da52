// chooseAvatar gives a local temporary path; the profile needs an http(s) URL. A local file is
// uploaded to cloud storage (folder avatars/, which should be readable by all users) and its URL used.
export async function publicAvatarUrl(path: string): Promise<string> {
  if (/^https:\/\//i.test(path)) return path;
  const ext = /\.[a-z0-9]{1,5}$/i.exec(path)?.[0] ?? '.png';
  const { fileID } = await wx.cloud.uploadFile({ cloudPath: `avatars/${Date.now()}-${Math.random().toString(36).slice(2, 10)}${ext}`, filePath: path });
  const { fileList } = await wx.cloud.getTempFileURL({ fileList: [fileID] });
  const url = fileList[0]?.tempFileURL;
  if (!url) throw Object.assign(new Error('avatar upload failed'), { errMsg: '头像上传失败，请重试' });
  return url;
}
