// Reading what arrives on the wire, defensively: any request line, query or body a client can
// send parses to a value or an ApiError, never to an exception that escapes.
import { errors } from "./errors";

export interface Target {
  path: string;
  query: Record<string, string>;
}

/**
 * The path and query of a request target. `//`, `///` or `//[` are paths here (WHATWG URL
 * parsing would read them as a host and throw); an absolute-form target (`http://host/path`) is
 * reduced to its path, as HTTP/1.1 asks servers to accept it.
 */
export function requestTarget(raw: string | undefined): Target {
  let text = raw ?? "/";
  if (!text.startsWith("/")) {
    const absolute = /^https?:\/\/[^/?#]*(?<rest>[/?][^#]*)?/i.exec(text);
    if (!absolute) throw errors.badRequest(`Malformed request target '${text.slice(0, 200)}'`);
    text = absolute.groups?.rest ?? "/";
    if (!text.startsWith("/")) text = "/" + text;
  }
  const queryStart = text.indexOf("?");
  const path = queryStart < 0 ? text : text.slice(0, queryStart);
  const query = queryStart < 0 ? {} : decodeForm(text.slice(queryStart + 1), "query string");
  return { path: path.replace(/#.*$/s, ""), query };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decodeComponent(text: string, where: string): string {
  const plain = text.replace(/\+/g, " ");
  if (!plain.includes("%")) return plain;
  // Percent sequences are bytes; a `%` not followed by two hex digits stays literal (as
  // URLSearchParams does). The bytes must then form UTF-8: nothing is silently replaced.
  const bytes: number[] = [];
  for (let i = 0; i < plain.length; ) {
    if (plain[i] === "%" && /^[0-9a-fA-F]{2}$/.test(plain.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plain.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const codePoint = plain.codePointAt(i)!;
      const char = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(char, "utf8"));
      i += char.length;
    }
  }
  try {
    return strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    throw errors.badRequest(`The ${where} is not valid UTF-8 once percent-decoded: '${text.slice(0, 100)}'`);
  }
}

/**
 * An `application/x-www-form-urlencoded` text as a record (the last of repeated keys wins). When
 * `lists` is given, it also receives every value of each key, in order: how arrays such as
 * `Configuration.Filters` arrive (the key repeated, as twilio-node sends them).
 */
export function decodeForm(text: string, where: string, lists?: Record<string, string[]>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = decodeComponent(equals < 0 ? pair : pair.slice(0, equals), where);
    const value = decodeComponent(equals < 0 ? "" : pair.slice(equals + 1), where);
    // Plain assignment of `__proto__` would change the prototype and drop the key.
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    if (lists) {
      const values = Object.prototype.hasOwnProperty.call(lists, key) ? lists[key] : [];
      values.push(value);
      Object.defineProperty(lists, key, { value: values, enumerable: true, writable: true, configurable: true });
    }
  }
  return record;
}

/** A request body's bytes as text; invalid UTF-8 is refused rather than replaced. */
export function bodyText(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw errors.badRequest("The request body is not valid UTF-8");
  }
}
