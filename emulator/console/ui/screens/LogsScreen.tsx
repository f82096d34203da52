// Logs: every invocation, streamed live over server-sent events, newest first; filter by function
// and outcome; expand one for its event, result or error, and timings.
import { useEffect, useState } from 'preact/hooks';
import { JsonView } from '../components/JsonView';
import type { LogRecord } from '../types';

const KEEP = 500;
const OUTCOMES = ['ok', 'error', 'timeout', 'crash'] as const;

function useLogStream(): { records: LogRecord[]; live: boolean } {
  const [records, setRecords] = useState<LogRecord[]>([]);
  const [live, setLive] = useState(false);
  useEffect(() => {
    const source = new EventSource('/_emulator/console/logs/stream');
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('record', (e) => {
      const record = JSON.parse((e as MessageEvent<string>).data) as LogRecord;
      setRecords((prev) => (prev.some((r) => r.id === record.id) ? prev : [record, ...prev].slice(0, KEEP)));
    });
    return () => source.close();
  }, []);
  return { records, live };
}

export function LogsScreen() {
  const { records, live } = useLogStream();
  const [fn, setFn] = useState('');
  const [outcome, setOutcome] = useState('');
  const [open, setOpen] = useState<string | undefined>(undefined);
  const functions = [...new Set(records.map((r) => r.function))].sort();
  const shown = records.filter((r) => (!fn || r.function === fn) && (!outcome || r.outcome === outcome));
  return (
    <section aria-label="Logs">
      <header class="row">
        <h2>Invocations</h2>
        <span class={live ? 'badge ok' : 'badge'} aria-label="Stream status">{live ? 'live' : 'connecting…'}</span>
        <select aria-label="Function filter" value={fn} onChange={(e) => setFn(e.currentTarget.value)}>
          <option value="">all functions</option>
          {functions.map((f) => <option key={f} value={f}>{f}</option>)}
        </select>
        <select aria-label="Outcome filter" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
          <option value="">all outcomes</option>
          {OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
        <span class="muted">{shown.length} of {records.length}</span>
      </header>
      {shown.length === 0 && <p class="muted">No invocations yet. They appear here as they happen.</p>}
      <ul class="log" aria-label="Log lines">
        {shown.map((r) => (
          <li key={r.id} class={`log-line ${r.outcome}`} data-function={r.function} data-outcome={r.outcome}>
            <button class="link log-summary" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? undefined : r.id)}>
              <time>{new Date(r.startedAt).toLocaleTimeString()}</time>
              <span class="fn">{r.function}.{r.eventName}</span>
              <span class="caller">{r.caller}</span>
              <span class={`badge ${r.outcome}`}>{r.outcome}{r.status !== undefined ? ` ${r.status}` : ''}</span>
              <span>{r.durationMs.toFixed(1)} ms</span>
              {r.kind !== 'cloud-call' && <span>api {r.dbCalls}</span>}
            </button>
            {open === r.id && <LogDetail record={r} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function LogDetail({ record: r }: { record: LogRecord }) {
  return (
    <div class="log-detail">
      <p class="row">
        <span>request {r.id}</span>
        <span>source {r.source}</span>
        <span>started {r.startedAt}</span>
        <span>duration {r.durationMs.toFixed(1)} ms</span>
        {r.coldStartMs !== undefined && <span>cold start {r.coldStartMs.toFixed(0)} ms</span>}
        {r.status !== undefined && <span>answered HTTP {r.status}</span>}
        {r.kind !== 'cloud-call' && <span>{r.dbCalls} CloudBase API calls</span>}
      </p>
      <h4>Event</h4>
      <JsonView value={r.event} label="Event" />
      {r.error ? (
        <>
          <h4>Error</h4>
          <pre class="json error-text">{r.error}</pre>
        </>
      ) : (
        <>
          <h4>Result</h4>
          <JsonView value={r.result ?? null} label="Result" />
        </>
      )}
    </div>
  );
}
