// `npm start -- --help`.
import { DEFAULT_MAX_INSTANCES_PER_FUNCTION } from './runner/function-pool';
import { DEFAULT_PORT } from './server';

export const USAGE = `Usage: npm start -- [options]   (or: npx tsx emulator/cli.ts [options])

Runs the local CloudBase emulator: cloud functions, database, storage, the WeChat stand-in and a web console.

Options:
  --port N             port to listen on (default ${DEFAULT_PORT}, env EMULATOR_PORT; 0 picks a free port)
  --host H             address to bind (default 127.0.0.1, env EMULATOR_HOST). The console has no sign-in:
                       anyone who can reach a non-loopback address can read and change all data
  --data DIR           data folder (default .emulator-data, env EMULATOR_DATA)
  --in-memory          keep nothing on disk
  --functions DIR      a folder of built functions (repeatable; default dist/functions, which npm run build makes)
  --env KEY=VALUE      a configuration variable for every function (repeatable)
  --max-instances N    concurrent instances per function, 1 to 100 (default ${DEFAULT_MAX_INSTANCES_PER_FUNCTION}, env EMULATOR_MAX_INSTANCES)
  --allow-host NAME    a Host name served besides 127.0.0.1, [::1], localhost and --host (repeatable;
                       any other Host is refused with 421, see docs/security.md)
  --cors-origin ORIGIN a browser origin allowed to call /functions and /storage, e.g. http://localhost:5173 (repeatable)
  --runtime MODE       declared: each function in processes on its runtime's Node.js (default);
                       host: worker threads on this Node.js (env EMULATOR_RUNTIME; see docs/runtime.md)
  --quiet              no log lines
  -h, --help           print this help

The address it serves on is recorded in .emulator-address.json, where npm run invoke, fire, wechat-code
and deploy -- --local find it.`;
