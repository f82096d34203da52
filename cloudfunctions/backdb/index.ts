// Entry of the `backdb` cloud function: main = the router bound to seed 000's error shape; the
// weekly timer (config.json) runs the handler config.json names.
import { createRouter } from '../../shared/router/create-router';
import { rejectingRenderer } from '../../shared/router/renderers';
import functionConfig from './config.json';
import { backdbHandlers } from './router';

export const { main, names: handlerNames } = createRouter(backdbHandlers, {
  renderer: rejectingRenderer,
  timerHandler: functionConfig.timerHandler,
  timerTriggers: functionConfig.triggers.map((t) => t.name),
});
