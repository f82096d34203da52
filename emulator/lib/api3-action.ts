// Tencent Cloud API 3.0 actions (POST https://<service>.tencentcloudapi.com, X-TC-Action): the
// shape of an action's handler, and its error.

/** An action: its parameters in, the fields of its Response out (RequestId is added by the route). */
export type ActionHandler<D> = (params: Record<string, unknown>, deps: D) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** A Tencent Cloud API 3.0 error: answered as {"Response":{"RequestId","Error":{"Code","Message"}}}. */
export class CloudApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
