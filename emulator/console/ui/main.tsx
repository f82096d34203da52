// The console's shell: a local-use banner, the screen tabs and hash routing (#/data/<collection>,
// #/functions, #/logs, #/timers, #/wechat, #/cloud-calls, #/backups, #/storage/<folder>/…).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApi } from './hooks';
import type { ConsoleInfo } from './types';
import { BackupsScreen } from './screens/BackupsScreen';
import { CloudCallsScreen } from './screens/CloudCallsScreen';
import { DataScreen } from './screens/DataScreen';
import { FunctionsScreen } from './screens/FunctionsScreen';
import { LogsScreen } from './screens/LogsScreen';
import { StorageScreen } from './screens/StorageScreen';
import { TimersScreen } from './screens/TimersScreen';
import { WechatScreen } from './screens/WechatScreen';
import './styles.css';

const SCREENS = [
  ['data', 'Data'],
  ['functions', 'Functions'],
  ['logs', 'Logs'],
  ['timers', 'Timers'],
  ['wechat', 'WeChat'],
  ['cloud-calls', 'Cloud calls'],
  ['backups', 'Backups'],
  ['storage', 'Storage'],
] as const;

function useHash(): [string[], (hash: string) => void] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const onChange = () => setParts(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [parts, (hash) => (window.location.hash = hash)];
}

function Banner() {
  const info = useApi<ConsoleInfo>('/_emulator/console/info');
  const d = info.data;
  return (
    <div class={d && !d.loopbackOnly ? 'banner warn' : 'banner'} role="note">
      For local use only: this console reads and writes the emulator's data without any sign-in.
      {d && (d.loopbackOnly ? ` The emulator is bound to ${d.boundTo} (this machine only).` : ` Warning: the emulator is bound to ${d.boundTo}, reachable from other machines.`)}
      {d && <span class="env"> env {d.envId}</span>}
    </div>
  );
}

function App() {
  const [[part, arg, ...rest], navigate] = useHash();
  const screen = part || 'data'; // /_/ with no hash (the address README and the start banner give) reads as ['']
  return (
    <>
      <header class="top">
        <h1>CloudBase emulator</h1>
        <nav class="tabs" aria-label="Screens">
          {SCREENS.map(([id, label]) => (
            <a key={id} href={`#/${id}`} class={screen === id ? 'active' : ''} aria-current={screen === id ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
      </header>
      <Banner />
      <main>
        {screen === 'data' && <DataScreen collection={arg || undefined} navigate={navigate} />}
        {screen === 'functions' && <FunctionsScreen />}
        {screen === 'logs' && <LogsScreen />}
        {screen === 'timers' && <TimersScreen />}
        {screen === 'wechat' && <WechatScreen />}
        {screen === 'cloud-calls' && <CloudCallsScreen />}
        {screen === 'backups' && <BackupsScreen />}
        {screen === 'storage' && <StorageScreen prefix={[arg, ...rest].filter(Boolean).map((p) => `${p}/`).join('')} navigate={navigate} />}
        {!SCREENS.some(([id]) => id === screen) && <p>Unknown screen. <a href="#/data">Go to Data</a></p>}
      </main>
    </>
  );
}

const root = document.getElementById('app') as HTMLElement;
root.textContent = ''; // drop the boot message: render() keeps existing children
render(<App />, root);
