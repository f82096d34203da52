// Invoke a function with an event and a simulated caller (an openid makes it a mini-program user
// call; empty makes it a server-side call) and show the result or error with its database calls.
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/ErrorLine';
import { JsonEditor } from '../../components/JsonEditor';
import { JsonView } from '../../components/JsonView';
import { parseObject, pretty } from '../../json';
import type { InvokeReply } from '../../types';

const eventFor = (name: string | undefined) => pretty(name ? { name } : {});

export function InvokeForm({ fn, firstHandler, pick }: { fn: string; firstHandler: string | undefined; pick: string | undefined }) {
  const [eventText, setEventText] = useState(eventFor(firstHandler));
  const [openid, setOpenid] = useState('');
  const [reply, setReply] = useState<InvokeReply | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (pick) setEventText(eventFor(pick));
  }, [pick]);

  const invoke = async (e: Event) => {
    e.preventDefault();
    const event = parseObject(eventText, 'event');
    if (!event.ok) return; // the editor shows why, under the box
    setBusy(true);
    setError(undefined);
    try {
      setReply(await api<InvokeReply>(`/_emulator/console/functions/${encodeURIComponent(fn)}/invoke`, 'POST', { event: event.value, openid }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="invoke" onSubmit={invoke}>
      <h3>Invoke</h3>
      <JsonEditor label="Event JSON" value={eventText} onInput={setEventText} rows={8} />
      <label class="row">
        Simulated openid
        <input aria-label="Simulated openid" placeholder="empty = server-side caller" value={openid} onInput={(e) => setOpenid(e.currentTarget.value)} />
      </label>
      <button class="primary" type="submit" disabled={busy}>{busy ? 'Running…' : 'Invoke'}</button>
      <ErrorLine message={error} />
      {reply && (
        <div class={`panel outcome ${reply.ok ? 'ok' : 'failed'}`} role="region" aria-label="Invocation result">
          <p class="row">
            <strong>{reply.ok ? 'ok' : reply.outcome}</strong>
            <span>{reply.durationMs.toFixed(1)} ms</span>
            <span aria-label="CloudBase API calls">API calls: {reply.dbCalls}</span>
            {reply.coldStartMs !== undefined && <span>cold start {reply.coldStartMs.toFixed(0)} ms</span>}
            <span class="muted">{reply.caller}</span>
          </p>
          {reply.ok ? <JsonView value={reply.result ?? null} label="Result" /> : <pre class="json error-text">{reply.error}</pre>}
        </div>
      )}
    </form>
  );
}
