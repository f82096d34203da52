// The console's banner data: environment, the address the emulator is bound to, and whether
// that is a loopback address (the console is for local use).
import type { ApiTable } from '../../http/api-table';

const isLoopback = (address: string): boolean => /^(127\.|::1$|::ffff:127\.)/.test(address);

export const infoRoutes = (envId: string, functionCount: () => number) => ({
  info: ['GET', /^\/_emulator\/console\/info$/, ({ req }) => {
    const boundTo = req.socket.localAddress ?? '';
    return { envId, boundTo, loopbackOnly: isLoopback(boundTo), functions: functionCount() };
  }],
}) satisfies ApiTable;
