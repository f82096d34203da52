// wxacode.getUnlimited / wxacode.get / wxacode.createQRCode stand-ins: a real PNG image, a QR code
// (from the `qrcode` library) whose text is JSON naming the API, page or path and scene, so a test
// or a phone camera can read back what the code would open. WeChat draws a round mini-program code
// and answers image/jpeg; the stand-in says image/png, which is what its bytes are. Parameter rules
// and errcodes from WeChat's pages (getUnlimitedQRCode.html, getQRCode.html, createQRCode.html under
// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/):
// scene at most 32 visible characters of [0-9A-Za-z!#$&'()*+,/:;=?@\-._~] (40169), page without a
// leading slash (41030), path at most 1024 bytes (40159 past 128 for createQRCode), width 280-1280.
import { onFirstUse } from '../lib/on-first-use';
import { wechatFail, type BinaryReply, type WechatReply } from './wechat-reply';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const qrcode = onFirstUse(() => require('qrcode') as typeof import('qrcode'));

const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;
const DEFAULT_WIDTH = 430;

async function png(text: string, width: unknown): Promise<BinaryReply> {
  const px = Math.min(1280, Math.max(280, Number.isFinite(Number(width)) ? Number(width) : DEFAULT_WIDTH));
  return { binary: await qrcode().toBuffer(text, { type: 'png', width: px, margin: 2, errorCorrectionLevel: 'M' }), contentType: 'image/png' };
}

const ENV_VERSIONS = new Set(['release', 'trial', 'develop']);

export async function getUnlimited(body: Record<string, unknown>): Promise<WechatReply | BinaryReply> {
  const { scene, page } = body;
  if (typeof scene !== 'string' || !SCENE.test(scene)) return wechatFail(40169, 'invalid length for scene, or the data is not json string');
  if (page !== undefined && (typeof page !== 'string' || page.startsWith('/') || page.includes('?'))) return wechatFail(41030, 'invalid page');
  const envVersion = body.env_version ?? 'release';
  if (typeof envVersion !== 'string' || !ENV_VERSIONS.has(envVersion)) return wechatFail(40097, 'invalid args: env_version');
  return png(JSON.stringify({ api: 'wxacode.getUnlimited', page: page ?? 'pages/index/index', scene, envVersion }), body.width);
}

export async function get(body: Record<string, unknown>): Promise<WechatReply | BinaryReply> {
  const { path } = body;
  if (typeof path !== 'string' || path === '' || Buffer.byteLength(path) > 1024) return wechatFail(40159, 'invalid length for path, or the data is not json string');
  const envVersion = body.env_version ?? 'release';
  if (typeof envVersion !== 'string' || !ENV_VERSIONS.has(envVersion)) return wechatFail(40097, 'invalid args: env_version');
  return png(JSON.stringify({ api: 'wxacode.get', path, envVersion }), body.width);
}

export async function createQRCode(body: Record<string, unknown>): Promise<WechatReply | BinaryReply> {
  const { path } = body;
  if (typeof path !== 'string' || path === '' || Buffer.byteLength(path) > 128) return wechatFail(40159, 'invalid length for path, or the data is not json string');
  return png(JSON.stringify({ api: 'wxacode.createQRCode', path }), body.width);
}
