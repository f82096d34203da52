// @cloudbase/database 1.4.3 encodes a db.command placed inside `_.elemMatch(...)` or `_.all([...])`
// as the command object itself: `_.elemMatch(_.gt(80).lt(100))` (the form CloudBase's
// Command.elemMatch documentation shows for arrays of plain values) reaches the server as
// `{ $elemMatch: { operator: 'and', operands: [{ operator: 'gt', operands: [80], fieldName: {} }, ...] } }`.
// This turns those objects into the MongoDB operators they stand for.
import { DatabaseError } from '../store/database-error';

const SINGLE = new Map([
  ['eq', '$eq'], ['neq', '$ne'], ['gt', '$gt'], ['gte', '$gte'], ['lt', '$lt'], ['lte', '$lte'],
  ['elemMatch', '$elemMatch'], ['exists', '$exists'], ['size', '$size'], ['mod', '$mod'],
]);
const LIST = new Map([['in', '$in'], ['nin', '$nin'], ['all', '$all']]);
const LOGIC = new Set(['and', 'or', 'not', 'nor']);

type Command = { operator: string; operands: unknown[] };

function isCommand(value: unknown): value is Command {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof RegExp) return false;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  return (
    keys.every((k) => k === 'operator' || k === 'operands' || k === 'fieldName') &&
    typeof v.operator === 'string' &&
    (SINGLE.has(v.operator) || LIST.has(v.operator) || LOGIC.has(v.operator)) &&
    Array.isArray(v.operands)
  );
}

/** Rewrites every SDK command object found in a query into MongoDB operators. */
export function expandSdkCommands(value: unknown): unknown {
  if (isCommand(value)) return toCondition(value);
  if (Array.isArray(value)) return value.map(expandSdkCommands);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = expandSdkCommands(v);
  return out;
}

/** A command as a field condition: `{ $gt: 80, $lt: 100 }`. */
function toCondition(command: Command): Record<string, unknown> {
  const { operator, operands } = command;
  const single = SINGLE.get(operator);
  if (single) return { [single]: expandSdkCommands(operands[0]) };
  const list = LIST.get(operator);
  if (list) return { [list]: expandSdkCommands(operands) };
  if (operator === 'not') return { $not: toConditionOrValue(operands[0]) };
  if (operator === 'and') {
    const merged: Record<string, unknown> = {};
    for (const part of operands.map(toConditionOrValue)) {
      for (const [op, v] of Object.entries(part as Record<string, unknown>)) {
        if (Object.hasOwn(merged, op)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `an and() of two ${op} conditions on one value cannot be expressed inside elemMatch/all`);
        merged[op] = v;
      }
    }
    return merged;
  }
  throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `${operator}() of conditions on one value cannot be expressed inside elemMatch/all (MongoDB has no $${operator} on a value)`);
}

function toConditionOrValue(operand: unknown): unknown {
  return isCommand(operand) ? toCondition(operand) : { $eq: expandSdkCommands(operand) };
}
