// Lets work done on behalf of a request learn the HTTP status the request was answered with,
// without every route passing it along: the invocation log records the status a caller really
// got (an HTTP-access function can answer 404 or 500 while it "returned fine").
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';

type Listener = (status: number | undefined) => void;

interface Answer {
  listeners: Listener[];
  settled: boolean;
  status?: number;
}

const current = new AsyncLocalStorage<Answer>();

/** Runs `route` for one request, noting the status its response is given. */
export function trackAnswerStatus(res: ServerResponse, route: () => void): void {
  const answer: Answer = { listeners: [], settled: false };
  const settle = (status: number | undefined) => {
    if (answer.settled) return;
    Object.assign(answer, { settled: true, status });
    for (const listener of answer.listeners.splice(0)) listener(status);
  };
  // Every response passes through writeHead, explicitly or from res.end() (_implicitHeader), before
  // a byte is sent: listeners run before the client can read the answer.
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    settle(args[0]);
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
  res.once('close', () => settle(res.headersSent ? res.statusCode : undefined));
  current.run(answer, route);
}

/**
 * Calls `listener` with the status of the current request's answer once it is given (undefined if
 * none was sent). Returns false, without calling it, outside any request (a scheduled timer).
 */
export function whenAnswered(listener: Listener): boolean {
  const answer = current.getStore();
  if (!answer) return false;
  if (answer.settled) listener(answer.status);
  else answer.listeners.push(listener);
  return true;
}
