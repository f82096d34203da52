// Entry of the `common` cloud function: main = the router bound to seed 000's error shape.
import { createRouter } from '../../shared/router/create-router';
import { rejectingRenderer } from '../../shared/router/renderers';
import { commonHandlers } from './router';

export const { main, names: handlerNames } = createRouter(commonHandlers, { renderer: rejectingRenderer });
