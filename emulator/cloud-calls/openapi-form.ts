// Reads the multipart/form-data body of a wx.openApi call as @cloudbase/node-sdk builds it with
// `form-data`: text fields (action, apiName, envName, tokens) and the requestData protobuf, which
// arrives as an application/octet-stream part. Parsed with busboy from the whole body, read first
// with a size cap, so that no malformed form leaves bytes on the connection.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { HttpError, readBody } from '../http/http-utils';

/** The body's cap: a requestData this large is far past any WeChat API's own limit (imgSecCheck takes 1 MB images). */
export const OPENAPI_BODY_LIMIT = 10 * 1024 * 1024;
const FIELD_LIMIT = 64 * 1024;

export interface OpenApiForm {
  fields: Record<string, string>;
  /** Binary parts by field name (requestData). */
  parts: Record<string, Buffer>;
}

export class FormRefused extends Error {}

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data\b/i.test(String(req.headers['content-type'] ?? ''));
}

/** The whole body, read to its end even when oversized (then refused). */
export async function readOpenApiBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readBody(req, OPENAPI_BODY_LIMIT);
  } catch (err) {
    if (err instanceof HttpError) throw new FormRefused(`request body exceeds ${OPENAPI_BODY_LIMIT} bytes`);
    throw err;
  }
}

export async function parseOpenApiForm(headers: IncomingHttpHeaders, body: Buffer): Promise<OpenApiForm> {
  let form: busboy.Busboy;
  try {
    form = busboy({ headers, limits: { fields: 20, files: 4, parts: 24, fieldSize: FIELD_LIMIT, fileSize: OPENAPI_BODY_LIMIT } });
  } catch (err) {
    throw new FormRefused(`not a multipart/form-data body (${(err as Error).message})`);
  }
  const fields: Record<string, string> = {};
  const chunksByPart = new Map<string, Buffer[]>();
  let problem: string | undefined;
  form.on('field', (name, value, info) => {
    if (info.valueTruncated) problem ??= `form field ${name} exceeds ${FIELD_LIMIT} bytes`;
    fields[name] = value;
  });
  form.on('file', (name, stream) => {
    const chunks: Buffer[] = [];
    chunksByPart.set(name, chunks);
    stream.on('data', (c: Buffer) => chunks.push(c));
  });
  for (const limit of ['fieldsLimit', 'filesLimit', 'partsLimit'] as const) form.on(limit, () => (problem ??= `the form has too many parts (${limit})`));
  await new Promise<void>((resolve) => {
    form.on('error', (err: Error) => {
      problem ??= `malformed multipart/form-data body (${err.message})`;
      resolve();
    });
    form.on('close', () => resolve());
    form.end(body);
  });
  if (problem) throw new FormRefused(problem);
  const parts = Object.fromEntries([...chunksByPart].map(([name, chunks]) => [name, Buffer.concat(chunks)]));
  return { fields, parts };
}
