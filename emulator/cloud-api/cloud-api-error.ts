// A Tencent Cloud API 3.0 error: answered as {"Response":{"RequestId","Error":{"Code","Message"}}}.
export class CloudApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
