// The Host allow-list every request on the emulator's port passes first. DNS rebinding points a
// name the attacker owns (evil.example, localhost.evil.example, 127.0.0.1.nip.io) at 127.0.0.1, so
// the attacker's page becomes "same origin" with the emulator and may read any answer; only the
// Host header still names the attacker's domain. So a request is served only when its Host is a
// loopback literal (127.0.0.1, [::1]), localhost, the --host the emulator was started on, or a
// name given with --allow-host. The CONNECT proxy (cloud-api/tls-proxy.ts) keeps its own host rules.
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

const LOOPBACK_NAMES = ['127.0.0.1', '[::1]', 'localhost'];

/** The name part of a Host header value, lower-cased (`[::1]:8090` → `[::1]`); undefined when malformed. */
export function hostName(host: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  return match?.[1]?.toLowerCase().replace(/\.$/, '');
}

export interface HostCheck {
  /** Why the request is refused (for the 421 body), or undefined when its Host is allowed. */
  refusal(req: IncomingMessage): string | undefined;
}

const bracketed = (address: string) => (address.includes(':') && !address.startsWith('[') ? `[${address}]` : address);

/**
 * `boundHost`: the --host the emulator listens on; `allowHosts`: the --allow-host names. Bound to
 * every interface (0.0.0.0, ::), the machine's own addresses count too, so a phone on the LAN can
 * reach it by IP: an address literal is never a rebound name.
 */
export function createHostCheck(boundHost: string, allowHosts: readonly string[] = []): HostCheck {
  const everyInterface = boundHost === '0.0.0.0' || boundHost === '::';
  const own = everyInterface ? Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => bracketed(i.address))) : [];
  const allowed = new Set([...LOOPBACK_NAMES, bracketed(boundHost), ...own, ...allowHosts].map((h) => hostName(h) ?? h.toLowerCase()));
  return {
    refusal(req) {
      const host = req.headers.host;
      // HTTP/1.1 requests without Host never get here (node answers 400); an HTTP/1.0 request
      // without one comes from a tool, never from a browser, which always sends Host.
      if (host === undefined) return undefined;
      const name = hostName(host);
      if (name !== undefined && allowed.has(name)) return undefined;
      return `the emulator answers only requests for ${[...allowed].join(', ')} (Host ${JSON.stringify(host.slice(0, 100))}); start it with --allow-host <name> to add one`;
    },
  };
}
