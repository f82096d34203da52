// Files persist under the data folder with their metadata, across an emulator restart, and a
// temporary URL handed out before the restart still works until its maxAge (its signing key is
// kept with the files, as a signed COS URL stays valid while the service restarts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sdkFor, startTestEmulator } from '../support/emulator';

it('keeps files, metadata and signed URLs across a restart', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-persist-'));
  try {
    const first = await startTestEmulator({ inMemory: false, dataDir });
    const up = await sdkFor(first).uploadFile({ cloudPath: 'kept/report.txt', fileContent: Buffer.from('persisted') });
    const { fileList } = (await sdkFor(first).getTempFileURL({ fileList: [up.fileID] })) as unknown as { fileList: Array<{ tempFileURL: string }> };
    const before = first.context.storage.list().find((f) => f.path === 'kept/report.txt');
    expect(before).toMatchObject({ path: 'kept/report.txt', size: Buffer.byteLength('persisted'), etag: expect.any(String) });
    const port = first.port;
    await first.close();

    const second = await startTestEmulator({ inMemory: false, dataDir, port });
    try {
      expect(second.context.storage.list().find((f) => f.path === 'kept/report.txt')).toEqual(before);
      const res = await fetch(fileList[0]!.tempFileURL);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('persisted');
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
