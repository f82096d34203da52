// Functions: each served function with its handlers, triggers, HTTP paths and deployment history; invoke one.
import { useState } from 'preact/hooks';
import { ErrorLine } from '../components/ErrorLine';
import { useApi } from '../hooks';
import type { FunctionInfo } from '../types';
import { InvokeForm } from './functions/InvokeForm';

export function FunctionsScreen() {
  const functions = useApi<FunctionInfo[]>('/_emulator/console/functions');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const current = functions.data?.find((f) => f.name === selected) ?? functions.data?.[0];
  return (
    <section class="split" aria-label="Functions">
      <nav class="sidebar" aria-label="Function list">
        <h2>Functions</h2>
        <ErrorLine message={functions.error} />
        {functions.data?.length === 0 && <p class="muted">No functions: run npm run build, or npm run deploy -- --local.</p>}
        <ul class="functions">
          {(functions.data ?? []).map((f) => (
            <li key={f.name}>
              <button class={f === current ? 'link active' : 'link'} onClick={() => setSelected(f.name)}>{f.name}</button>
            </li>
          ))}
        </ul>
      </nav>
      <div class="main">{current && <FunctionDetail key={current.name} fn={current} />}</div>
    </section>
  );
}

function FunctionDetail({ fn }: { fn: FunctionInfo }) {
  const [eventName, setEventName] = useState<string | undefined>(undefined);
  return (
    <div>
      <h2>{fn.name}</h2>
      <dl class="facts">
        <dt>Handlers</dt>
        <dd aria-label="Handlers">
          {fn.handlers.length === 0 ? <span class="muted">none listed (rebuild to record handler names in config.json)</span> : fn.handlers.map((h) => (
            <button key={h} class="chip" title="Use in the event" onClick={() => setEventName(h)}>{h}</button>
          ))}
        </dd>
        <dt>Triggers</dt>
        <dd>{fn.triggers.length === 0 ? <span class="muted">none</span> : fn.triggers.map((t) => <code key={t.name}>{t.name}: {t.cron}{fn.timerHandler ? ` → ${fn.timerHandler}` : ''}</code>)}</dd>
        <dt>HTTP paths</dt>
        <dd>{fn.httpPaths.length === 0 ? <span class="muted">none</span> : fn.httpPaths.map((p) => <code key={p}>{p}</code>)}</dd>
        <dt>Runtime</dt>
        <dd aria-label="Runtime">
          {fn.runtime} · Node.js {fn.node} ({fn.isolation === 'process' ? 'a process per instance' : 'worker threads'})
          {fn.runtimeFallback && <p class="banner warn" role="alert">Not on {fn.runtime}'s Node.js: {fn.runtimeFallback}</p>}
        </dd>
        <dt>Timeout</dt>
        <dd>{fn.timeoutSeconds} s · {fn.instances} warm instance(s)</dd>
      </dl>
      <DeploymentHistory deployments={fn.deployments} />
      <InvokeForm fn={fn.name} firstHandler={fn.handlers[0]} pick={eventName} />
    </div>
  );
}

function DeploymentHistory({ deployments }: { deployments: FunctionInfo['deployments'] }) {
  return (
    <section aria-label="Deployment history">
      <h3>Deployments</h3>
      {deployments.length === 0 ? <p class="muted">none recorded</p> : (
        <table class="documents" aria-label="Deployments">
          <thead><tr><th>when</th><th>source</th><th>how</th><th>size</th></tr></thead>
          <tbody>
            {[...deployments].reverse().map((d) => (
              <tr key={`${d.at}-${d.action}`}>
                <td>{new Date(d.at).toLocaleString()}</td>
                <td>{d.source}</td>
                <td>{d.action}</td>
                <td>{(d.bytes / 1024).toFixed(0)} KiB {d.source === 'build' ? 'unpacked' : 'zip'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
