// A WeChat server API answer: JSON with errcode/errmsg (0/"ok" on success), or binary for the
// APIs that return an image. WeChat appends a request id to every errmsg.
export type WechatReply = Record<string, unknown>;

export interface BinaryReply {
  binary: Buffer;
  contentType: string;
}

export const wechatFail = (errcode: number, errmsg: string): WechatReply => ({ errcode, errmsg: `${errmsg} rid: emulator` });

export const isBinaryReply = (reply: WechatReply | BinaryReply): reply is BinaryReply => Buffer.isBuffer((reply as BinaryReply).binary);
