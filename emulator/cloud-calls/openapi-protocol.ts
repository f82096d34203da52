// The protobuf messages of the wx.openApi channel, as protobufjs JSON written from the static module
// wx-server-sdk 4.0.2 bundles (src/protobuf/openapi.js: field numbers and types of each encode()),
// and the request/reply codec built on them. Only the messages the channel carries are listed.
import { onFirstUse } from '../lib/on-first-use';

const descriptor = {
  nested: {
    KeyValuePair: {
      fields: {
        key: { type: 'string', id: 1 },
        value: { type: 'bytes', id: 2 },
        // Lower case in the SDK's schema: a media parameter's MIME type travels here.
        contenttype: { type: 'string', id: 3 },
        filename: { type: 'string', id: 4 },
      },
    },
    OpenApiData: { fields: { pairs: { rule: 'repeated', type: 'KeyValuePair', id: 1 } } },
    InnerApiData: {
      fields: {
        modid: { type: 'uint32', id: 1 },
        cmdid: { type: 'uint32', id: 2 },
        url: { type: 'string', id: 3 },
        useHttps: { type: 'bool', id: 4 },
        method: { type: 'int32', id: 5 },
        headers: { rule: 'repeated', type: 'string', id: 6 },
        body: { type: 'bytes', id: 7 },
      },
    },
    SvrkitApiData: { fields: { apiName: { type: 'string', id: 1 }, reqData: { type: 'bytes', id: 2 } } },
    TokenApiData: { fields: { resourceAppid: { type: 'string', id: 1 }, resourceEnv: { type: 'string', id: 2 } } },
    CommApiData: {
      fields: {
        apiType: { type: 'int32', id: 1 },
        openapiData: { type: 'OpenApiData', id: 2 },
        innerData: { type: 'InnerApiData', id: 3 },
        svrkitData: { type: 'SvrkitApiData', id: 4 },
        tokenData: { type: 'TokenApiData', id: 5 },
        appid: { type: 'string', id: 6 },
      },
    },
    HttpHeader: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    CommOpenApiResp: {
      fields: {
        respData: { type: 'bytes', id: 1 },
        contentType: { type: 'string', id: 2 },
        errorCode: { type: 'int32', id: 3 },
        httpCode: { type: 'uint32', id: 4 },
        headers: { rule: 'repeated', type: 'HttpHeader', id: 5 },
        svrkitErrorCode: { type: 'int32', id: 6 },
      },
    },
  },
};

const messages = onFirstUse(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const root = (require('protobufjs') as typeof import('protobufjs')).Root.fromJSON(descriptor);
  return { CommApiData: root.lookupType('CommApiData'), CommOpenApiResp: root.lookupType('CommOpenApiResp') };
});

/** CommApiData.ApiType in the SDK's schema. */
export const API_TYPES = { OPEN_API: 0, INNER_API: 1, SVRKIT_API: 2, TOKEN_API: 3 } as const;

export interface KeyValuePair {
  key: string;
  value: Buffer;
  contenttype?: string;
  filename?: string;
}

export interface CommApiRequest {
  apiType: number;
  pairs: KeyValuePair[];
  appid?: string;
}

export class ProtocolError extends Error {}

/** Decodes the requestData part; throws ProtocolError for bytes that are not a CommApiData. */
export function decodeCommApiData(bytes: Uint8Array): CommApiRequest {
  const { CommApiData } = messages();
  let message: Record<string, unknown>;
  try {
    message = CommApiData.toObject(CommApiData.decode(bytes), { defaults: true, arrays: true }) as Record<string, unknown>;
  } catch (err) {
    throw new ProtocolError(`requestData is not a valid CommApiData protobuf (${(err as Error).message})`);
  }
  const openapi = message.openapiData as { pairs?: Array<{ key: string; value: Uint8Array; contenttype: string; filename: string }> } | null;
  const pairs = (openapi?.pairs ?? []).map((p) => ({ key: p.key, value: Buffer.from(p.value), contenttype: p.contenttype || undefined, filename: p.filename || undefined }));
  return { apiType: message.apiType as number, pairs, appid: (message.appid as string) || undefined };
}

export interface CommOpenApiReply {
  respData?: Buffer;
  contentType?: string;
  /** Non-zero: a platform-side failure (no permission, API not found...); the SDK throws it as errCode. */
  errorCode?: number;
  httpCode?: number;
}

export function encodeCommOpenApiResp(reply: CommOpenApiReply): Buffer {
  const { CommOpenApiResp } = messages();
  const message = CommOpenApiResp.fromObject({ respData: reply.respData ?? Buffer.alloc(0), contentType: reply.contentType ?? '', errorCode: reply.errorCode ?? 0, httpCode: reply.httpCode ?? 200 });
  return Buffer.from(CommOpenApiResp.encode(message).finish());
}

/** For tests and tools: the CommApiData the SDK would send for these pairs. */
export function encodeCommApiData(request: CommApiRequest): Buffer {
  const { CommApiData } = messages();
  const message = CommApiData.fromObject({ apiType: request.apiType, openapiData: { pairs: request.pairs }, appid: request.appid ?? '' });
  return Buffer.from(CommApiData.encode(message).finish());
}
