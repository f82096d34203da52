// The console's banner data: environment, the address the emulator is bound to, and whether
// that is a loopback address (the console is for local use).
import type { ApiRoute } from './api-router';

const isLoopback = (address: string): boolean => /^(127\.|::1$|::ffff:127\.)/.test(address);

export const infoRoutes: ApiRoute[] = [
  ['GET', /^\/_emulator\/console\/info$/, ({ ctx, req }) => {
    const boundTo = req.socket.localAddress ?? '';
    return { envId: ctx.envId, boundTo, loopbackOnly: isLoopback(boundTo), functions: ctx.runner.definitions().length };
  }],
];
