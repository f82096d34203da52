// Timeouts for a CONNECT tunnel. The decrypted requests are handed to an http.Server that never
// listens (tls-proxy.ts emits each TLS socket as a connection), and node checks headersTimeout and
// requestTimeout only for the connections of a listening server; so a tunnel that never starts
// TLS, or sends half its headers, stayed open for good. Each tunnel gets its own clock instead: the
// TLS handshake must finish within handshakeMs, then the port's own bounds apply
// (http/connection-timeouts.ts): headers, the whole request, the idle time between requests. (The
// socket's bytes are read by the HTTP parser directly, so the clock cannot see a next request
// begin: the idle bound runs until its headers are in, which is stricter, never looser.)
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';
import type { TunnelTimeouts } from '../http/connection-timeouts';

type Phase = 'handshake' | 'head' | 'body' | 'busy' | 'idle';

/** The clock of one tunnel: whatever phase it is in, one timer, which closes the tunnel when it runs out. */
export class TunnelClock {
  private timer: NodeJS.Timeout | undefined;
  private phase: Phase = 'handshake';

  constructor(
    private readonly t: TunnelTimeouts,
    private readonly close: () => void,
  ) {
    this.enter('handshake');
  }

  /** Call once the TLS socket exists: it moves the clock on as the handshake and requests go. */
  watch(secure: tls.TLSSocket): void {
    secure.once('secure', () => this.enter('head'));
    secure.once('close', () => this.stop());
  }

  /** The inner server's 'request' for this tunnel: headers are in; the body (if any) must follow in time. */
  request(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.enter(req.complete ? 'busy' : 'body');
    req.once('end', () => {
      if (this.phase === 'body') this.enter('busy');
    });
    res.once('finish', () => this.enter('idle'));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enter(phase: Phase): void {
    this.phase = phase;
    clearTimeout(this.timer);
    // A request being answered is bounded by its handler (function timeouts), not by the tunnel.
    const ms = { handshake: this.t.handshakeMs, head: this.t.headersMs, body: this.t.requestMs, busy: undefined, idle: this.t.idleMs }[phase];
    this.timer = ms === undefined ? undefined : setTimeout(this.close, ms);
    this.timer?.unref();
  }
}

export function tunnelClock(raw: Duplex, t: TunnelTimeouts): TunnelClock {
  return new TunnelClock(t, () => raw.destroy());
}
