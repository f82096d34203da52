// A Tencent Cloud API 3.0 client for tests, independent of the emulator's code: requests go
// through the emulator as an HTTP proxy (CONNECT + TLS trusting its CA), as the tcb CLI's do, and
// are signed with TC3-HMAC-SHA256 as documented (API 3.0, "签名方法 v3").
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface ApiKey {
  secretId: string;
  secretKey: string;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();

export function signTc3(host: string, service: string, body: string, key: ApiKey, timestamp: number): string {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = `POST\n/\n\ncontent-type:application/json\nhost:${host}\n\ncontent-type;host\n${sha256(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const signing = hmac(hmac(hmac(`TC3${key.secretKey}`, date), service), 'tc3_request');
  return `TC3-HMAC-SHA256 Credential=${key.secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${createHmac('sha256', signing).update(toSign).digest('hex')}`;
}

/** One HTTPS request to `host` through the emulator's CONNECT proxy. */
export function viaProxy(proxyUrl: string, ca: string | undefined, host: string, request: { method: string; path: string; headers: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const connect = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: `${host}:443` });
    connect.once('error', reject);
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return reject(new Error(`CONNECT ${host} answered ${res.statusCode}`));
      }
      let secure: tls.TLSSocket | undefined;
      const req = https.request({
        // Host as a client of the real endpoint sends it (no port: 443 is https's default).
        host, port: 443, method: request.method, path: request.path, headers: { host, connection: 'close', ...request.headers },
        createConnection: () => (secure = tls.connect({ socket, servername: host, ...(ca ? { ca } : {}) })),
      }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          secure?.destroy();
          socket.destroy();
          resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) });
        });
      });
      req.once('error', (err) => {
        socket.destroy();
        reject(err);
      });
      req.end(request.body);
    });
    connect.end();
  });
}

export interface ApiAnswer {
  Response: Record<string, unknown> & { RequestId: string; Error?: { Code: string; Message: string } };
}

export function cloudApi(proxyUrl: string, ca: string, key: ApiKey) {
  return async function call(service: 'tcb' | 'scf', action: string, params: Record<string, unknown>, options: { key?: ApiKey; authorization?: string; timestamp?: number } = {}): Promise<ApiAnswer> {
    const host = `${service}.tencentcloudapi.com`;
    const body = JSON.stringify(params);
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-tc-action': action,
      'x-tc-version': service === 'scf' ? '2018-04-16' : '2018-06-08',
      'x-tc-region': 'ap-shanghai',
      'x-tc-timestamp': String(timestamp),
    };
    const authorization = options.authorization ?? signTc3(host, service, body, options.key ?? key, timestamp);
    if (authorization) headers.authorization = authorization;
    const res = await viaProxy(proxyUrl, ca, host, { method: 'POST', path: '/', headers, body });
    return JSON.parse(res.body.toString('utf8')) as ApiAnswer;
  };
}
