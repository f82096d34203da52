// Storage: browse the bucket folder by folder (#/storage/<folder>/…), each folder with the storage
// rule that governs it (storage.rules.json); each file's metadata and a download link; upload a
// file into the current folder (the browser PUTs it to the COS URL an upload grant names, as the
// server SDK does); delete after a confirmation.
import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { ErrorLine } from '../components/ErrorLine';
import { useApi } from '../hooks';
import type { FolderRule, StorageFolder, StorageRule, UploadGrant } from '../types';

const ruleText = (r: StorageRule) => (r === true ? 'everyone' : r === false ? 'server only' : r === 'resource.openid == auth.openid' ? 'creator' : r);
const RuleBadge = ({ rule }: { rule: FolderRule }) => (
  <span class="muted" title={`rule from ${rule.from}`}>read: {ruleText(rule.read)} · write: {ruleText(rule.write)}</span>
);
const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

export function StorageScreen({ prefix, navigate }: { prefix: string; navigate: (hash: string) => void }) {
  const folder = useApi<StorageFolder>(`/_emulator/console/storage?prefix=${encodeURIComponent(prefix)}`);
  const [file, setFile] = useState<File | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const open = (p: string) => navigate(`#/storage/${p.split('/').filter(Boolean).map(encodeURIComponent).join('/')}`);
  const crumbs = prefix.split('/').filter(Boolean);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const grant = await api<UploadGrant>('/_emulator/console/storage/upload-url', 'POST', { path: `${prefix}${file.name}` });
      const res = await fetch(grant.url, { method: 'PUT', headers: { authorization: grant.authorization, 'x-cos-meta-fileid': grant.cosFileId, 'content-type': file.type || 'application/octet-stream' }, body: file });
      if (!res.ok) throw new Error((await res.text()).match(/<Message>([^<]*)<\/Message>/)?.[1] ?? `upload failed: HTTP ${res.status}`);
      setFile(undefined);
      await folder.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (path: string) => {
    setError(undefined);
    try {
      await api('/_emulator/console/storage/delete', 'POST', { path });
      setConfirming(undefined);
      await folder.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const d = folder.data;
  return (
    <section aria-label="Storage">
      <h2>Cloud storage</h2>
      <nav class="row" aria-label="Folder path">
        <a href="#/storage">bucket</a>
        {crumbs.map((c, i) => (
          <span key={i}> / <a href={`#/storage/${crumbs.slice(0, i + 1).map(encodeURIComponent).join('/')}`}>{c}</a></span>
        ))}
        {d && <span aria-label="Folder rule"> <RuleBadge rule={d.rule} /></span>}
      </nav>
      <ErrorLine message={folder.error ?? error} />
      <div class="row">
        <input type="file" aria-label="File to upload" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0])} />
        <button class="primary" disabled={!file || busy} onClick={() => void upload()}>Upload</button>
        <span class="muted">into {prefix || 'the bucket root'}</span>
      </div>
      {d && d.folders.length === 0 && d.files.length === 0 && <p class="muted">Empty: nothing stored under {prefix || 'the bucket'} yet.</p>}
      <table aria-label="Folders and files" class="storage">
        <thead>
          <tr><th>Name</th><th>Size</th><th>Type</th><th>Uploaded</th><th>Uploader</th><th>Rule / actions</th></tr>
        </thead>
        <tbody>
          {(d?.folders ?? []).map((f) => (
            <tr key={`dir:${f.name}`} data-folder={f.name}>
              <td><button class="link" onClick={() => open(`${prefix}${f.name}/`)}>{f.name}/</button></td>
              <td class="muted">{f.files} files</td>
              <td /><td /><td />
              <td><RuleBadge rule={f.rule} /></td>
            </tr>
          ))}
          {(d?.files ?? []).map((f) => (
            <tr key={f.path} data-file={f.path}>
              <td title={f.fileId}>{f.name}</td>
              <td>{size(f.size)}</td>
              <td>{f.contentType}</td>
              <td>{f.uploadedAt}</td>
              <td>{f.openid || <span class="muted">server</span>}</td>
              <td class="actions">
                <a href={f.downloadUrl} download={f.name}>download</a>{' '}
                {confirming === f.path ? (
                  <>
                    <button class="danger" onClick={() => void remove(f.path)}>Confirm delete</button>
                    <button onClick={() => setConfirming(undefined)}>Keep</button>
                  </>
                ) : (
                  <button onClick={() => setConfirming(f.path)}>Delete</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
