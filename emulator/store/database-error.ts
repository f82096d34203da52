// Errors the emulated database answers with: CloudBase's string codes, turned into {code, message}.
export type DatabaseErrorCode =
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_DUPLICATE_WRITE'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'INVALID_PARAM'
  | 'INVALID_ACTION';

export class DatabaseError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
  ) {
    super(message);
  }
}
