// Fixtures that start from a table, so that a row added to it does not change them: a fixture
// spreads "nothing sent" or "nothing answered" and then gives only the values its test is about.
import { answered, sent, type Answered, type Sent } from "../../provider/domain/properties";
import type { RowTable } from "../../provider/domain/row";

/** Every property Twilio's form takes, not sent (null): the start of a create's or an update's fields. */
export function nothingSent<T extends RowTable>(table: T): { [K in Sent<T>]: null } {
  return Object.fromEntries(sent(table).map((property) => [property, null])) as { [K in Sent<T>]: null };
}

/** Every property Twilio's answer shows, absent from it (null), but the SID, which every answer has. */
export function nothingAnswered<T extends RowTable>(table: T): { [K in Exclude<Answered<T>, "sid">]: null } {
  const properties = answered(table).filter((property) => property !== "sid");
  return Object.fromEntries(properties.map((property) => [property, null])) as { [K in Exclude<Answered<T>, "sid">]: null };
}
