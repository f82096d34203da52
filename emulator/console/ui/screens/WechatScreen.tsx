// WeChat stand-in: mint single-use login codes (wx.login) and phone codes (getPhoneNumber), and
// see the access tokens the stand-in has issued (masked) and the API calls it answered.
import { useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { ErrorLine } from '../components/ErrorLine';
import { useApi } from '../hooks';
import type { MintedCode, WechatStateReply } from '../types';

function MintForm({ title, label, placeholder, path, field }: { title: string; label: string; placeholder: string; path: string; field: string }) {
  const [value, setValue] = useState('');
  const [code, setCode] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const mint = async (e: Event) => {
    e.preventDefault();
    try {
      setCode((await api<MintedCode>(path, 'POST', { [field]: value.trim() })).code);
      setError(undefined);
    } catch (err) {
      setCode(undefined);
      setError(errorText(err));
    }
  };
  return (
    <form class="panel" onSubmit={mint} aria-label={title}>
      <h3>{title}</h3>
      <div class="row">
        <input aria-label={label} placeholder={placeholder} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <button class="primary" type="submit">{title}</button>
      </div>
      <ErrorLine message={error} />
      {code && (
        <p class="row">
          <code class="minted" aria-label={`${label} code`}>{code}</code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(code)}>Copy</button>
          <span class="muted">single use, valid 5 minutes</span>
        </p>
      )}
    </form>
  );
}

export function WechatScreen() {
  const state = useApi<WechatStateReply>('/_emulator/wechat/state', 3000);
  return (
    <section aria-label="WeChat stand-in">
      <h2>WeChat stand-in</h2>
      <div class="cards">
        <MintForm title="Mint login code" label="openid" placeholder="openid, e.g. o_local_user" path="/_emulator/wechat/login-code" field="openid" />
        <MintForm title="Mint phone code" label="Phone number" placeholder="phone number, e.g. 13800138000" path="/_emulator/wechat/phone-code" field="phoneNumber" />
      </div>
      <h3>Access tokens issued {state.data && <span class="muted">(appid {state.data.appid})</span>}</h3>
      <ErrorLine message={state.error} />
      <table aria-label="Access tokens">
        <thead>
          <tr><th>Token (masked)</th><th>Issued</th><th>Expires</th><th>State</th></tr>
        </thead>
        <tbody>
          {(state.data?.accessTokens ?? []).map((t) => {
            const expired = new Date(t.expiresAt).getTime() <= Date.now();
            return (
              <tr key={t.token + t.issuedAt}>
                <td><code>{t.token}</code></td>
                <td>{t.issuedAt}</td>
                <td>{t.expiresAt}</td>
                <td>{t.revoked ? 'revoked' : expired ? 'expired' : 'valid'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {state.data?.accessTokens.length === 0 && <p class="muted">No access token issued yet.</p>}
      <h3>API calls answered</h3>
      <ul class="plain">
        {Object.entries(state.data?.calls ?? {}).map(([p, n]) => <li key={p}><code>{p}</code> × {n}</li>)}
      </ul>
    </section>
  );
}
