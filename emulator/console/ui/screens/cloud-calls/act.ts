// What the Cloud calls screen's panels share: the control API's prefix and the action runner.
export const BASE = '/_emulator/openapi';

/** Runs a change, shows its error, reloads the state. */
export type Act = (run: () => Promise<unknown>) => Promise<void>;
