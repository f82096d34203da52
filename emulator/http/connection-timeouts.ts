// How long the emulator's port waits for a client: for a request's headers, for the whole request,
// and between requests on a kept-alive connection. One table, so the CONNECT tunnels of the tcb
// CLI's cloud API (cloud-api/tunnel-timeouts.ts) hold their clients to the same bounds as the port.
import type http from 'node:http';

export interface ConnectionTimeouts {
  /** From a request's first byte (or the connection's start) until its headers are complete. */
  headersMs: number;
  /** From a request's first byte until its body is complete. */
  requestMs: number;
  /** A kept-alive connection with no request in progress. */
  idleMs: number;
}

/** node's own headersTimeout (60 s) and requestTimeout (300 s), and a 30 s keep-alive. */
export const PORT_TIMEOUTS: ConnectionTimeouts = { headersMs: 60_000, requestMs: 300_000, idleMs: 30_000 };

/** A CONNECT tunnel's bounds (cloud-api/tunnel-timeouts.ts): the TLS handshake, then the port's own. */
export interface TunnelTimeouts extends ConnectionTimeouts {
  /** From `200 Connection Established` until the TLS handshake is done. */
  handshakeMs: number;
}

export const DEFAULT_TUNNEL_TIMEOUTS: TunnelTimeouts = { handshakeMs: 15_000, ...PORT_TIMEOUTS };

export function applyTimeouts(server: http.Server, t: ConnectionTimeouts): void {
  server.headersTimeout = t.headersMs;
  server.requestTimeout = t.requestMs;
  server.keepAliveTimeout = t.idleMs;
}
