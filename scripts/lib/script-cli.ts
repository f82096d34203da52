// What every project script shares: `--help`, one-line messages for mistakes (usage errors exit 2,
// failures exit 1, never a stack trace for either), and reaching the running emulator.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { emulatorUrl } from '../../emulator/address-file';

/** A failure the user can act on: printed as its message alone. */
export class ScriptError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseScriptArgs<O extends Options>(options: O, usage: string, allowPositionals = true) {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, allowPositionals, strict: true }) as typeof parsed;
  } catch (err) {
    // Node's own hint about positionals starting with '-' is noise here.
    console.error(`${(err as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, '.')}\n\n${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed as unknown as { values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string }; positionals: string[] };
}

export function usageError(message: string, usage: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

/** fetch against the emulator; when nothing answers, one line saying so and how to start one. */
export async function emulatorFetch(base: string, pathname: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(`${base}${pathname}`, init);
  } catch {
    throw new ScriptError(`no emulator answers at ${base}: start one with \`npm start\`, or point at yours with --url or EMULATOR_URL`);
  }
}

export { emulatorUrl };

export function runScript(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof ScriptError ? err.message : err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
