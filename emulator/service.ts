// What an emulated service is. The server (server.ts) mounts a table of them and owns no path of
// its own: each service names the routes it answers, which of them a web page may call, its
// /_emulator control routes, its part of the console's API, the ports it offers and needs, and
// how it starts and closes. A new service is a folder with one factory, and one line in SERVICES.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiRoute, ApiTable } from './http/api-table';
import type { Route } from './http/routes';
import type { EmulatorSettings } from './emulator-options';
import type { EmulatorSecrets } from './emulator-secrets';
import type { Diagnostics } from './lib/output-sinks';
import type { PortRegistry } from './port-registry';

export interface BrowserAccess {
  /** The paths a page of an allowed origin may call: they get CORS headers and a preflight answer (http/cors.ts). */
  paths: RegExp;
}

export interface EmulatedService {
  /** 'storage', 'functions', 'wechat', … */
  readonly name: string;
  /** The paths it owns; the server matches, the service answers. */
  readonly routes?: readonly Route[];
  /** Paths it claims while it runs (a function's HTTP access paths), tried after every service's own routes. */
  readonly claimed?: readonly Route[];
  readonly browser?: BrowserAccess;
  /** Its /_emulator/… control routes (JSON, the emulator's door). */
  readonly control?: ApiTable;
  /** Its part of the web console's JSON API, under /_emulator/console/. */
  readonly console?: ApiTable;
  /** HTTP CONNECT (an HTTP proxy end: the tcb CLI's). */
  onConnect?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Called once the server listens (its URL is known). */
  start?(): Promise<void> | void;
  close(): Promise<void> | void;
}

/** What a service is built from. */
export interface ServiceSetup {
  options: EmulatorSettings;
  envId: string;
  /** Where the emulator's data persists; undefined in memory. */
  dataDir: string | undefined;
  secrets: EmulatorSecrets;
  /** The server's URL (http://host:port), known once it listens. */
  baseUrl(): string;
  /** Whether a page of this origin may call the routes a service opens to browsers (local mode). */
  browserOrigin(origin: string): boolean;
  /** The ports the services offer one another. */
  ports: PortRegistry;
  /** The console facets of every service in the table (the console service serves them). */
  consoleFacets(): readonly ApiRoute[];
  /** Where a service reports what went wrong outside any answer (options.diagnostics, or the terminal). */
  diagnostics: Diagnostics;
}

export type ServiceFactory = (setup: ServiceSetup) => EmulatedService | Promise<EmulatedService>;
