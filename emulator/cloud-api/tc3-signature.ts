// Checks a Tencent Cloud API 3.0 request's TC3-HMAC-SHA256 signature (API 3.0 docs, "签名方法 v3"):
// the canonical request of the signed headers and the body, under a key derived from the secret
// key, the date, the service and "tc3_request".
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CloudApiError } from '../lib/api3-action';

/** How far the request's timestamp may be from the server's clock (API 3.0: five minutes). */
const MAX_SKEW_SECONDS = 300;

const AUTHORIZATION = /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export interface SignedRequest {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function tc3Signature(request: SignedRequest, signedHeaders: string[], secretKey: string, timestamp: string, date: string, service: string): string {
  const header = (name: string) => {
    const v = request.headers[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().toLowerCase();
  };
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${header(h)}\n`).join('');
  const canonicalRequest = [request.method, request.path, request.query, canonicalHeaders, signedHeaders.join(';'), sha256(request.body)].join('\n');
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonicalRequest)}`;
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

/** Throws the API's AuthFailure.* error unless the request is signed by the one key pair for `service`. */
export function verifyTc3(request: SignedRequest, service: string, key: { secretId: string; secretKey: string }, nowSeconds: number): void {
  const auth = request.headers.authorization;
  const match = typeof auth === 'string' ? AUTHORIZATION.exec(auth) : null;
  if (!match) throw new CloudApiError('AuthFailure.InvalidAuthorization', 'Authorization header is missing or not a TC3-HMAC-SHA256 signature.');
  const [, secretId, date, signedService, signedHeaderList, signature] = match as unknown as [string, string, string, string, string, string];
  const timestamp = String(request.headers['x-tc-timestamp'] ?? '');
  if (!/^\d{1,12}$/.test(timestamp)) throw new CloudApiError('MissingParameter', 'The request is missing the X-TC-Timestamp header.');
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) throw new CloudApiError('AuthFailure.SignatureExpire', 'Signature expired. Timestamp and server time cannot differ by more than five minutes.');
  if (secretId !== key.secretId) throw new CloudApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
  const signedHeaders = signedHeaderList.split(';');
  const dateOfTimestamp = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
  const expected = tc3Signature(request, signedHeaders, key.secretKey, timestamp, date, signedService);
  const valid = signedService === service && date === dateOfTimestamp && signedHeaders.includes('host') && signedHeaders.includes('content-type')
    && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!valid) throw new CloudApiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
}
