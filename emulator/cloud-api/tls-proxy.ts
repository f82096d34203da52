// The HTTP proxy end of the emulator: a client with HTTP_PROXY pointing here opens
// `CONNECT host:443`; for the Tencent Cloud hosts the emulator stands in for, the tunnel's TLS is
// terminated with the local CA's certificate and the decrypted requests go to `serve`, told which
// host the client connected to. Every other host (e.g. the CLI's telemetry) is refused. Each
// tunnel runs on a clock (./tunnel-timeouts.ts): the handshake, then the port's own timeouts.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { applyTimeouts, DEFAULT_TUNNEL_TIMEOUTS, type TunnelTimeouts } from '../http/connection-timeouts';
import { tunnelClock, type TunnelClock } from './tunnel-timeouts';

export type TunnelRequestListener = (req: http.IncomingMessage, res: http.ServerResponse, host: string) => void;

export interface ConnectHandler {
  onConnect(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createConnectHandler(options: {
  allowHost: (host: string) => boolean;
  tls: () => { key: string; cert: string };
  serve: TunnelRequestListener;
  timeouts?: Partial<TunnelTimeouts>;
}): ConnectHandler {
  const timeouts: TunnelTimeouts = { ...DEFAULT_TUNNEL_TIMEOUTS, ...options.timeouts };
  const hostOf = new WeakMap<object, string>();
  const clockOf = new WeakMap<object, TunnelClock>();
  const inner = http.createServer((req, res) => {
    clockOf.get(req.socket)?.request(req, res);
    options.serve(req, res, hostOf.get(req.socket) ?? '');
  });
  applyTimeouts(inner, timeouts);
  let context: tls.SecureContext | undefined;
  const tunnels = new Set<Duplex>();
  return {
    onConnect(req, socket, head) {
      socket.on('error', () => socket.destroy());
      tunnels.add(socket);
      socket.once('close', () => tunnels.delete(socket));
      const match = /^([A-Za-z0-9.-]+):(\d+)$/.exec(req.url ?? '');
      const host = match?.[1]?.toLowerCase();
      if (!match || match[2] !== '443' || !host || !options.allowHost(host)) {
        socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      context ??= tls.createSecureContext(options.tls());
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const clock = tunnelClock(socket, timeouts);
      socket.once('close', () => clock.stop());
      if (head.length) socket.unshift(head);
      const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: ['http/1.1'] });
      secure.on('error', () => secure.destroy());
      clock.watch(secure);
      hostOf.set(secure, host);
      clockOf.set(secure, clock);
      inner.emit('connection', secure);
    },
    close() {
      inner.closeAllConnections();
      for (const socket of tunnels) socket.destroy();
    },
  };
}
