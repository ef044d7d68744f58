import { isUtf8 } from "node:buffer";

/**
 * Offset of the first byte that does not belong to well-formed UTF-8 (Unicode, table 3-7), or -1.
 * Node's decoder would turn such bytes into U+FFFD without a word.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at];
    if (lead < 0x80) {
      at++;
      continue;
    }
    let continuations: number;
    let [low, high] = [0x80, 0xbf];
    if (lead >= 0xc2 && lead <= 0xdf) continuations = 1;
    else if (lead === 0xe0) [continuations, low] = [2, 0xa0];
    else if (lead === 0xed) [continuations, high] = [2, 0x9f];
    else if (lead >= 0xe1 && lead <= 0xef) continuations = 2;
    else if (lead === 0xf0) [continuations, low] = [3, 0x90];
    else if (lead === 0xf4) [continuations, high] = [3, 0x8f];
    else if (lead >= 0xf1 && lead <= 0xf3) continuations = 3;
    else return at;
    for (let next = 1; next <= continuations; next++) {
      const byte = bytes[at + next];
      const [min, max] = next === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return at;
    }
    at += continuations + 1;
  }
  return -1;
}
