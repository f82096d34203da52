// Cloud calls (cloud.openapi): the subscription-message outbox, the templates and users' grants
// subscribeMessage.send checks against, the msgSecCheck word list, and faults to inject. Reads and
// writes /_emulator/openapi/...; each call itself shows on the Logs screen as openapi.<api>.
import { useState } from 'preact/hooks';
import { errorText } from '../api';
import { ErrorLine } from '../components/ErrorLine';
import { useApi } from '../hooks';
import type { CloudCallsState } from '../types';
import type { Act } from './cloud-calls/act';
import { Faults } from './cloud-calls/Faults';
import { Outbox } from './cloud-calls/Outbox';
import { Templates } from './cloud-calls/Templates';
import { Words } from './cloud-calls/Words';

function useAction(reload: () => Promise<void>): [string | undefined, Act] {
  const [error, setError] = useState<string | undefined>(undefined);
  const act = async (run: () => Promise<unknown>) => {
    try {
      await run();
      setError(undefined);
    } catch (err) {
      setError(errorText(err));
    }
    await reload();
  };
  return [error, act];
}

export function CloudCallsScreen() {
  const state = useApi<CloudCallsState>('/_emulator/openapi/state', 3000);
  const [error, act] = useAction(state.reload);
  return (
    <section aria-label="Cloud calls">
      <h2>Cloud calls</h2>
      <p class="muted">cloud.openapi from functions: {state.data?.apis.join(', ')}. A function may call only what its config.json permissions.openapi lists (-604101 otherwise).</p>
      <ErrorLine message={state.error ?? error} />
      {state.data && (
        <>
          <Outbox state={state.data} act={act} />
          <Templates state={state.data} act={act} />
          <div class="cards">
            <Words state={state.data} act={act} />
            <Faults state={state.data} act={act} />
          </div>
        </>
      )}
    </section>
  );
}
