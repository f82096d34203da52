// Timers: each function's timer triggers with their CloudBase cron and next run; fire one now.
import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { ErrorLine } from '../components/ErrorLine';
import { JsonView } from '../components/JsonView';
import { useApi } from '../hooks';
import type { FireReply, TimerInfo } from '../types';

/** CloudBase cron runs in Beijing time (UTC+8), whatever the browser's zone. */
const beijingTime = (iso: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });

export function TimersScreen() {
  const timers = useApi<TimerInfo[]>('/_emulator/timers');
  const [fired, setFired] = useState<Record<string, FireReply | { pending: true }>>({});

  const fire = async (t: TimerInfo) => {
    const key = `${t.function}/${t.trigger}`;
    setFired((f) => ({ ...f, [key]: { pending: true } }));
    try {
      const reply = await api<FireReply>(`/_emulator/functions/${encodeURIComponent(t.function)}/triggers/${encodeURIComponent(t.trigger)}/fire`, 'POST', {});
      setFired((f) => ({ ...f, [key]: reply }));
    } catch (err) {
      // shown in the row's outcome, not again above the table
      setFired((f) => ({ ...f, [key]: { ok: false, error: errorText(err) } }));
    }
    void timers.reload();
  };

  return (
    <section aria-label="Timers">
      <h2>Timer triggers</h2>
      <p class="muted">CloudBase cron has seven fields (second minute hour day month weekday year) in Beijing time.</p>
      <ErrorLine message={timers.error} />
      {timers.data?.length === 0 && <p class="muted">No function has a timer trigger.</p>}
      <table aria-label="Timer triggers">
        <thead>
          <tr><th>Function</th><th>Trigger</th><th>Cron</th><th>Next run (Beijing time)</th><th /></tr>
        </thead>
        <tbody>
          {(timers.data ?? []).map((t) => {
            const key = `${t.function}/${t.trigger}`;
            const last = fired[key];
            return (
              <tr key={key} data-trigger={key}>
                <td>{t.function}</td>
                <td>{t.trigger}</td>
                <td><code>{t.cron}</code></td>
                <td>{t.nextRun ? <time dateTime={t.nextRun}>{beijingTime(t.nextRun)}</time> : 'never'}</td>
                <td class="actions">
                  <button class="primary" disabled={!!last && 'pending' in last} onClick={() => void fire(t)}>Fire now</button>
                  {last && !('pending' in last) && (
                    <div class={`fire-outcome ${last.ok ? 'ok' : 'failed'}`} role="status" aria-label={`Outcome of ${key}`}>
                      <strong>{last.ok ? 'ok' : 'failed'}</strong>
                      <details>
                        <summary>{last.ok ? 'result' : 'error'}</summary>
                        {last.ok ? <JsonView value={last.result ?? null} /> : <pre class="json error-text">{last.error}</pre>}
                      </details>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
