import { describe, expect, it } from "vitest";
import { numberAlteration } from "../../../schemas/hostile-yaml";
import { firstInvalidUtf8Byte } from "../../../schemas/utf8";

describe("numberAlteration", () => {
  it.each<[string, unknown, string | undefined]>([
    ["42", 42, undefined],
    ["-0.0", -0, undefined],
    ["0.1", 0.1, undefined],
    ["1.50", 1.5, undefined],
    ["1e3", 1000, undefined],
    ["9007199254740991", 9007199254740991, undefined],
    ["9007199254740992", 9007199254740992, undefined],
    ["0x1F", 31, undefined],
    ["9007199254740993", 9007199254740992, "9007199254740992"],
    ["12345678901234567890", 12345678901234567000, "12345678901234567000"],
    ["0.1000000000000000000001", 0.1, "0.1"],
    ["1.0e-400", 0, "0"],
    ["0x1FFFFFFFFFFFFFFFF", 36893488147419103000, "36893488147419103000"],
    ["1e400", "1e400", "text, as it is too large for a number"],
    [".inf", Infinity, "null, as JSON has no infinity or NaN"],
    [".nan", NaN, "null, as JSON has no infinity or NaN"],
    ["1_000", "1_000", undefined],
    ["v1.2", "v1.2", undefined],
    // Text to YAML, as js-yaml loads it: no digits before the exponent, or words.
    ["E3", "E3", undefined],
    ["e5", "e5", undefined],
    ["-E3", "-E3", undefined],
    [".e3", ".e3", undefined],
    ["1e", "1e", undefined],
    ["Infinity", "Infinity", undefined],
    // Numbers to YAML that js-yaml loads as text, being too large for a double.
    ["1E400", "1E400", "text, as it is too large for a number"],
    ["-1e400", "-1e400", "text, as it is too large for a number"],
  ])("%s loaded as %s → %s", (written, loaded, alteration) => {
    expect(numberAlteration(written, loaded)).toBe(alteration);
  });

  it("judges long numerals by what YAML reads: decimal and 0x numbers too large, 0b… text", () => {
    const cases = ["1" + "0".repeat(400), "0x" + "f".repeat(300), "0b" + "1".repeat(1100)];
    expect(cases.map((written) => numberAlteration(written, written))).toEqual([
      "text, as it is too large for a number",
      "text, as it is too large for a number",
      undefined,
    ]);
  });
});

describe("firstInvalidUtf8Byte", () => {
  it.each<[string, number[], number]>([
    ["ASCII", [0x61, 0x62], -1],
    ["é in UTF-8", [0x43, 0xc3, 0xa9], -1],
    ["an emoji", [0xf0, 0x9f, 0x98, 0x80], -1],
    ["é in Latin-1", [0x43, 0x61, 0x66, 0xe9, 0x20], 3],
    ["a lone continuation byte", [0x61, 0x80], 1],
    ["an overlong encoding", [0xc0, 0xaf], 0],
    ["a surrogate", [0xed, 0xa0, 0x80], 0],
    ["beyond U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a truncated sequence at the end", [0x61, 0xe2, 0x82], 1],
  ])("%s", (_name, bytes, offset) => {
    expect(firstInvalidUtf8Byte(Uint8Array.from(bytes))).toBe(offset);
  });
});
