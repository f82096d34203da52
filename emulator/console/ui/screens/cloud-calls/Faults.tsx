// Faults for the next cloud calls of an API.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { CloudCallsState } from '../../types';
import { BASE, type Act } from './act';

export function Faults({ state, act }: { state: CloudCallsState; act: Act }) {
  const [fault, setFault] = useState({ api: 'security.msgSecCheck', kind: 'errcode', errcode: '-1', times: '1' });
  return (
    <form class="panel" aria-label="Inject fault" onSubmit={(e) => {
      e.preventDefault();
      void act(() => api(`${BASE}/faults`, 'POST', { api: fault.api, kind: fault.kind, errcode: Number(fault.errcode), times: Number(fault.times) }));
    }}>
      <h3>Faults</h3>
      <p class="muted">The next calls of an API fail: WeChat's errcode, the platform's timeout (-604102) or system error (-604103).</p>
      <ul class="plain">
        {state.faults.map((f, i) => <li key={i}><code>{f.api}</code> {f.kind}{f.kind === 'errcode' ? ` ${f.errcode}` : ''} × {f.remaining}</li>)}
      </ul>
      <div class="row">
        <select aria-label="Fault API" value={fault.api} onChange={(e) => setFault({ ...fault, api: e.currentTarget.value })}>
          {state.apis.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
        <select aria-label="Fault kind" value={fault.kind} onChange={(e) => setFault({ ...fault, kind: e.currentTarget.value })}>
          <option value="errcode">errcode</option>
          <option value="timeout">timeout</option>
          <option value="system">system</option>
        </select>
        {fault.kind === 'errcode' && <input aria-label="Errcode" value={fault.errcode} onInput={(e) => setFault({ ...fault, errcode: e.currentTarget.value })} />}
        <input aria-label="Fault times" type="number" min="1" value={fault.times} onInput={(e) => setFault({ ...fault, times: e.currentTarget.value })} />
        <button class="primary" type="submit">Inject</button>
        <button type="button" onClick={() => void act(() => api(`${BASE}/faults`, 'DELETE'))}>Clear</button>
      </div>
    </form>
  );
}
