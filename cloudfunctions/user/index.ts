// Entry of the `user` cloud function: main = the router bound to the seeds' { code, msg, data } envelope.
import { createRouter } from '../../shared/router/create-router';
import { userEnvelope } from './envelope';
import { userHandlers } from './router';

export const { main, names: handlerNames } = createRouter(userHandlers, { renderer: userEnvelope });
