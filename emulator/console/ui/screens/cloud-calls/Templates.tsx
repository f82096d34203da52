// Subscription templates subscribeMessage.send checks against, and the one-time grants users gave.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { CloudCallsState } from '../../types';
import { BASE, type Act } from './act';

export function Templates({ state, act }: { state: CloudCallsState; act: Act }) {
  const [templateId, setTemplateId] = useState('');
  const [title, setTitle] = useState('');
  const [keys, setKeys] = useState('thing1, time2');
  const [grant, setGrant] = useState({ openid: '', templateId: '', times: '1' });
  return (
    <div class="cards">
      <form class="panel" aria-label="Register template" onSubmit={(e) => {
        e.preventDefault();
        void act(() => api(`${BASE}/templates`, 'POST', { templateId: templateId.trim(), title: title.trim(), keys: keys.split(',').map((k) => k.trim()).filter(Boolean) }));
      }}>
        <h3>Templates</h3>
        <ul class="plain">
          {state.templates.map((t) => (
            <li key={t.templateId}>
              <code>{t.templateId}</code> {t.title} <span class="muted">{t.keys.join(', ')}</span>{' '}
              <button type="button" class="link" onClick={() => void act(() => api(`${BASE}/templates/${encodeURIComponent(t.templateId)}`, 'DELETE'))}>remove</button>
            </li>
          ))}
        </ul>
        <div class="row">
          <input aria-label="Template id" placeholder="template id" value={templateId} onInput={(e) => setTemplateId(e.currentTarget.value)} />
          <input aria-label="Template title" placeholder="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          <input aria-label="Keyword keys" placeholder="thing1, time2" value={keys} onInput={(e) => setKeys(e.currentTarget.value)} />
          <button class="primary" type="submit">Register</button>
        </div>
      </form>
      <form class="panel" aria-label="Grant subscription" onSubmit={(e) => {
        e.preventDefault();
        void act(() => api(`${BASE}/subscriptions`, 'POST', { openid: grant.openid.trim(), templateId: grant.templateId, times: Number(grant.times) }));
      }}>
        <h3>Users' subscriptions</h3>
        <p class="muted">What wx.requestSubscribeMessage "accept" gives: one message per grant; without one, send answers 43101.</p>
        <ul class="plain">
          {state.subscriptions.map((s) => <li key={`${s.openid}/${s.templateId}`}><code>{s.openid}</code> → <code>{s.templateId}</code> × {s.remaining}</li>)}
        </ul>
        <div class="row">
          <input aria-label="Subscriber openid" placeholder="openid" value={grant.openid} onInput={(e) => setGrant({ ...grant, openid: e.currentTarget.value })} />
          <select aria-label="Subscription template" value={grant.templateId} onChange={(e) => setGrant({ ...grant, templateId: e.currentTarget.value })}>
            <option value="">template…</option>
            {state.templates.map((t) => <option key={t.templateId} value={t.templateId}>{t.templateId}</option>)}
          </select>
          <input aria-label="Times" type="number" min="1" value={grant.times} onInput={(e) => setGrant({ ...grant, times: e.currentTarget.value })} />
          <button class="primary" type="submit">Grant</button>
        </div>
      </form>
    </div>
  );
}
