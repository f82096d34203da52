// The emulator's local certificate authority: made once by openssl beside the emulator's data (a
// temporary folder when in memory), and one leaf certificate for the Tencent Cloud API and COS
// hosts the tcb CLI talks to. Clients trust the CA through NODE_EXTRA_CA_CERTS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Hosts the leaf certificate covers: the API 3.0 endpoints and the COS upload hosts. */
export const TLS_HOSTS = [
  'tencentcloudapi.com',
  '*.tencentcloudapi.com',
  ...['ap-shanghai', 'ap-guangzhou', 'ap-beijing', 'ap-chengdu', 'ap-nanjing', 'ap-hongkong', 'ap-singapore'].map((r) => `*.cos.${r}.myqcloud.com`),
];

export interface TlsMaterial {
  caCertPath: string;
  caCertPem: string;
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  const res = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (res.error) throw new Error(`openssl is needed for the emulator's local CA: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`openssl ${args[0]} failed: ${res.stderr}`);
}

/** Loads the CA and leaf from `dir`, making whichever is missing (the leaf again when the host list changed). */
export function loadTlsAuthority(dir: string): TlsMaterial {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);
  if (!fs.existsSync(file('ca.crt')) || !fs.existsSync(file('ca.key'))) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650',
      '-subj', '/CN=CloudBase Emulator Local CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    fs.rmSync(file('leaf.crt'), { force: true });
  }
  const sans = TLS_HOSTS.map((h) => `DNS:${h}`).join(',');
  const sameHosts = fs.existsSync(file('leaf.hosts')) && fs.readFileSync(file('leaf.hosts'), 'utf8') === sans;
  if (!fs.existsSync(file('leaf.crt')) || !fs.existsSync(file('leaf.key')) || !sameHosts) {
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=tencentcloudapi.com'], dir);
    fs.writeFileSync(file('leaf.ext'), `subjectAltName=${sans}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
    // 825 days: the longest validity TLS clients accept for a leaf certificate.
    openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '825', '-extfile', 'leaf.ext'], dir);
    fs.writeFileSync(file('leaf.hosts'), sans);
    fs.rmSync(file('leaf.csr'), { force: true });
  }
  const caCertPem = fs.readFileSync(file('ca.crt'), 'utf8');
  return { caCertPath: file('ca.crt'), caCertPem, key: fs.readFileSync(file('leaf.key'), 'utf8'), cert: fs.readFileSync(file('leaf.crt'), 'utf8') + caCertPem };
}
