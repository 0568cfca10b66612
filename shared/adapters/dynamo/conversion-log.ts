/** Conversion log records as transaction actions (conversions table). */
import { type ConversionRecord, conversionItem } from "../../domain/conversion.ts";
import type { TransactItem } from "./transact.ts";

/**
 * One conversion log record (`expiresAt`: epoch seconds when TTL may remove it); with `once`,
 * only if no record has its key yet, so that a redelivered event fails the transaction instead
 * of counting twice.
 */
export function recordPut(
  table: string,
  record: ConversionRecord,
  expiresAt: number,
  { once = false }: { once?: boolean } = {},
): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: conversionItem(record, expiresAt),
      ...(once ? { ConditionExpression: "attribute_not_exists(pk)" } : {}),
    },
  };
}

/** Conversion log records (`expiresAt`: epoch seconds when TTL may remove them). */
export function recordPuts(
  table: string,
  records: readonly ConversionRecord[],
  expiresAt: number,
): TransactItem[] {
  return records.map((record) => recordPut(table, record, expiresAt));
}
