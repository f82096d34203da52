// Invoke a function with an event and a simulated caller (a mini-program user by openid, a
// CloudBase web user, anonymous or custom login, or the server side) and show the result or
// error with its database calls.
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/ErrorLine';
import { JsonEditor } from '../../components/JsonEditor';
import { JsonView } from '../../components/JsonView';
import { parseObject, pretty } from '../../json';
import type { InvokeReply } from '../../types';

const eventFor = (name: string | undefined) => pretty(name ? { name } : {});

type CallerKind = 'server' | 'user' | 'webAnonymous' | 'webCustom';

/** The invoke API's caller fields: an openid, a web user ({uid, isAnonymous} or {customUserId}), or none (server side). */
function callerBody(kind: CallerKind, openid: string, webId: string): Record<string, unknown> {
  if (kind === 'user') return { openid };
  if (kind === 'webAnonymous') return { webUser: { uid: webId || 'anonymous-uid', isAnonymous: true } };
  if (kind === 'webCustom') return { webUser: { uid: webId ? `uid-${webId}` : undefined, customUserId: webId || 'custom-user' } };
  return {};
}

export function InvokeForm({ fn, firstHandler, pick }: { fn: string; firstHandler: string | undefined; pick: string | undefined }) {
  const [eventText, setEventText] = useState(eventFor(firstHandler));
  const [callerKind, setCallerKind] = useState<CallerKind>('server');
  const [openid, setOpenid] = useState('');
  const [webId, setWebId] = useState('');
  const [reply, setReply] = useState<InvokeReply | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (pick) setEventText(eventFor(pick));
  }, [pick]);

  const invoke = async (e: Event) => {
    e.preventDefault();
    const event = parseObject(eventText, 'event');
    if (!event.ok) return setError(event.error);
    setBusy(true);
    setError(undefined);
    try {
      setReply(await api<InvokeReply>(`/_emulator/console/functions/${encodeURIComponent(fn)}/invoke`, 'POST', { event: event.value, ...callerBody(callerKind, openid, webId) }));
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
        Caller
        <select aria-label="Caller" value={callerKind} onChange={(e) => setCallerKind(e.currentTarget.value as CallerKind)}>
          <option value="server">server side (tcb fn invoke)</option>
          <option value="user">mini-program user (openid)</option>
          <option value="webAnonymous">web user, anonymous login (uid)</option>
          <option value="webCustom">web user, custom login (custom user id)</option>
        </select>
      </label>
      {callerKind === 'user' && (
        <label class="row">
          Simulated openid
          <input aria-label="Simulated openid" placeholder="o_..." value={openid} onInput={(e) => setOpenid(e.currentTarget.value)} />
        </label>
      )}
      {(callerKind === 'webAnonymous' || callerKind === 'webCustom') && (
        <label class="row">
          {callerKind === 'webAnonymous' ? 'Web user uid' : 'Custom user id'}
          <input aria-label="Web user id" placeholder={callerKind === 'webAnonymous' ? 'TCB_UUID' : 'TCB_CUSTOM_USER_ID'} value={webId} onInput={(e) => setWebId(e.currentTarget.value)} />
        </label>
      )}
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
