// The files of a new cloud function, in the shape of the project's own (cloudfunctions/common):
// index.ts (the router bound to the platform), router.ts (the handler table and its contract type),
// handlers/greet.ts (one handler), config.json (what the emulator and the build read).

/** `order-items` → `orderItems`, for identifiers derived from a function name. */
function camel(name: string): string {
  return name.replace(/[-_]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function functionTemplate(name: string): Record<string, string> {
  const handlers = `${camel(name)}Handlers`;
  const contract = `${camel(name).charAt(0).toUpperCase()}${camel(name).slice(1)}Contract`;
  return {
    'index.ts': `// Entry of the \`${name}\` cloud function: main = the router; failures reject with \`CODE: message\`.
import { createRouter } from '../../shared/router/create-router';
import { rejectingRenderer } from '../../shared/router/renderers';
import { ${handlers} } from './router';

export const { main, names: handlerNames } = createRouter(${handlers}, { renderer: rejectingRenderer });
`,
    'router.ts': `// The ${name} function's handlers: event name = handler file = export = key. \`${contract}\` is the client contract.
import type { RouterContract } from '../../shared/router/define-handler';
import { greet } from './handlers/greet';

export const ${handlers} = { greet };
export type ${contract} = RouterContract<typeof ${handlers}>;
`,
    'handlers/greet.ts': `// greet: a greeting for \`who\`, and the kind of caller the platform says is calling.
import { z } from 'zod';
import { defineHandler } from '../../../shared/router/define-handler';

export const greet = defineHandler({
  allow: ['user', 'server'],
  // \`name\`, \`data\` and \`userInfo\` are the event's own fields: inputs need other names.
  input: z.object({ who: z.string().trim().min(1).max(32).default('world') }),
  async run({ input, ctx }) {
    return { message: \`Hello, \${input.who}!\`, caller: ctx.caller.kind };
  },
});
`,
    'config.json': `${JSON.stringify({ timeout: 10, memorySize: 256, permissions: { openapi: [] }, triggers: [] }, null, 2)}\n`,
  };
}
