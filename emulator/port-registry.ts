// The ports services offer one another: small interfaces, each declared by the service that
// offers it as a named token (`port<CloudFiles>('storage.files')`). A service needs a port through
// the registry, never by importing the offering service's files; a port needed at build time must
// be offered by a service earlier in the table, one needed while serving may come from any.
export interface Port<T> {
  readonly name: string;
  /** Carries T for the type checker only. */
  readonly type?: (value: T) => T;
}

export const port = <T>(name: string): Port<T> => ({ name });

export class PortRegistry {
  private readonly offered = new Map<string, unknown>();

  offer<T>(port: Port<T>, value: T): void {
    if (this.offered.has(port.name)) throw new Error(`port ${port.name} is offered twice`);
    this.offered.set(port.name, value);
  }

  need<T>(port: Port<T>): T {
    if (!this.offered.has(port.name)) throw new Error(`no service offers port ${port.name} (is the service that offers it in SERVICES, and earlier?)`);
    return this.offered.get(port.name) as T;
  }
}
