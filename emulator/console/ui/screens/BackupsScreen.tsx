// Backups: the database export (and import) jobs the WeChat stand-in ran, with their status and a
// download link for each finished export.
import { ErrorLine } from '../components/ErrorLine';
import { useApi } from '../hooks';
import type { BackupJob } from '../types';

export function BackupsScreen() {
  const jobs = useApi<BackupJob[]>('/_emulator/console/backups', 2000);
  return (
    <section aria-label="Backups">
      <h2>Export jobs</h2>
      <p class="muted">Jobs started through the stand-in's databasemigrateexport / import (the backdb function's weekly backup uses them).</p>
      <ErrorLine message={jobs.error} />
      {jobs.data?.length === 0 && <p class="muted">No export job yet: fire backdb's weeklyBackup from Timers.</p>}
      <table aria-label="Export jobs">
        <thead>
          <tr><th>Job</th><th>Kind</th><th>Collection</th><th>File</th><th>Status</th><th>Records</th><th>Download</th></tr>
        </thead>
        <tbody>
          {(jobs.data ?? []).map((j) => (
            <tr key={j.jobId} data-job={j.jobId}>
              <td>{j.jobId}</td>
              <td>{j.kind}</td>
              <td>{j.collection}</td>
              <td><code>{j.filePath}</code></td>
              <td><span class={`badge ${j.status === 'success' ? 'ok' : j.status === 'fail' ? 'error' : ''}`}>{j.status}</span> {j.message && <span class="muted">{j.message}</span>}</td>
              <td>{j.recordSuccess}{j.recordFail ? ` (${j.recordFail} failed)` : ''}</td>
              <td>{j.downloadUrl ? <a href={j.downloadUrl} download>download</a> : <span class="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
