// Servers for the load runs, each in a process of its own so that the load generator does not
// steal their CPU: the emulator (as `npm start` runs it) and a bare Node http server.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ChildServer { url: string; stop(): void }

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${seen}`)));
  });
}

export async function startChildEmulator(functionsDir: string, functionEnv: Record<string, string> = {}): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'emulator/cli.ts'), '--in-memory', '--port', String(port), '--functions', functionsDir, '--quiet', ...Object.entries(functionEnv).flatMap(([k, v]) => ['--env', `${k}=${v}`])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitFor(child, /listening on/);
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

export async function startChildBareServer(bytes: string): Promise<ChildServer> {
  const port = await freePort();
  const code = `require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json; charset=utf-8','content-length':Buffer.byteLength(process.env.BYTES)});s.end(process.env.BYTES)})}).listen(${port},'127.0.0.1',()=>console.log('listening on'))`;
  const child = spawn(process.execPath, ['-e', code], { env: { ...process.env, BYTES: bytes }, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitFor(child, /listening on/);
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGKILL') };
}
