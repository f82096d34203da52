// The subscription-message outbox: what subscribeMessage.send accepted, newest first.
import { api } from '../../api';
import type { CloudCallsState } from '../../types';
import { BASE, type Act } from './act';

export function Outbox({ state, act }: { state: CloudCallsState; act: Act }) {
  return (
    <>
      <div class="row">
        <h3>Outbox</h3>
        <span class="muted">{state.outbox.length} sent by subscribeMessage.send, newest first</span>
        <button disabled={state.outbox.length === 0} onClick={() => void act(() => api(`${BASE}/outbox`, 'DELETE'))}>Clear</button>
      </div>
      {state.outbox.length === 0 && <p class="muted">No message sent yet.</p>}
      <table aria-label="Outbox">
        <thead>
          <tr><th>Sent</th><th>To</th><th>Template</th><th>Page</th><th>Data</th><th>By</th></tr>
        </thead>
        <tbody>
          {state.outbox.map((m) => (
            <tr key={m.id} data-message={m.id}>
              <td>{new Date(m.sentAt).toLocaleString()}</td>
              <td><code>{m.touser}</code></td>
              <td>{m.title} <span class="muted">({m.templateId})</span></td>
              <td>{m.page ? <code>{m.page}</code> : <span class="muted">none</span>}</td>
              <td>{Object.entries(m.data).map(([k, v]) => <div key={k}><span class="muted">{k}</span> {v}</div>)}</td>
              <td>{m.sentBy ?? <span class="muted">outside a function</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
