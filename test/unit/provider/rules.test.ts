import { describe, expect, it } from "vitest";
import { durationSeconds, isSid, LIMITS, utf8Bytes } from "../../../provider/domain/rules";

describe("durationSeconds", () => {
  it.each<[string, number]>([
    ["PT1M", 60],
    ["PT10M", 600],
    ["PT60S", 60],
    ["PT0S", 0],
    ["PT1H", 3_600],
    ["P1D", 86_400],
    ["P1W", 604_800],
    ["P1DT2H30M", 86_400 + 2 * 3_600 + 30 * 60],
    ["P1DT12H", 129_600],
    ["PT0.5S", 0.5],
    ["PT1M30.25S", 90.25],
    ["P2W3D", 2 * 604_800 + 3 * 86_400],
  ])("%s = %d s", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it.each([
    ["P1Y", "years depend on the calendar"],
    ["P1M", "months depend on the calendar"],
    ["P1Y2M", "years and months"],
    ["", "empty"],
    ["P", "no parts"],
    ["PT", "no time parts"],
    ["P1DT", "a dangling T"],
    ["1M", "no P"],
    ["pt1m", "lower case"],
    ["PT1.5M", "fractions only on seconds"],
    ["PT-1M", "negative"],
    [" PT1M", "leading space"],
    ["PT1M ", "trailing space"],
    ["PT1S1M", "parts out of order"],
    ["60", "a bare number"],
  ])("rejects %j (%s)", (text) => {
    expect(durationSeconds(text)).toBeNull();
  });
});

describe("isSid", () => {
  it.each([
    ["chatService", "IS" + "0123456789abcdefABCDEF0123456789", true],
    ["chatService", "IS" + "0".repeat(31), false],
    ["chatService", "IS" + "0".repeat(33), false],
    ["chatService", "CH" + "0".repeat(32), false],
    ["conversation", "CH" + "g".repeat(32), false],
    ["conversation", "ch" + "0".repeat(32), false],
    ["message", "IM" + "f".repeat(32), true],
    ["media", "ME" + "f".repeat(32), true],
    ["content", "HX" + "f".repeat(32), true],
    ["messagingService", "MG" + "f".repeat(32), true],
  ] as const)("%s %s → %s", (kind, value, expected) => {
    expect(isSid(kind, value)).toBe(expected);
  });
});

describe("LIMITS and utf8Bytes", () => {
  it("encodes Twilio's documented limits", () => {
    expect(LIMITS).toMatchObject({
      friendlyNameChars: 256,
      messageBodyChars: 1600,
      conversationAttributesBytes: 16_384,
      messageAttributesBytes: 4_096,
      contentVariableValueChars: 256,
      inactiveTimerMinSeconds: 60,
      closedTimerMinSeconds: 600,
    });
  });

  it.each([
    ["", 0],
    ["abc", 3],
    ["é", 2],
    ["€", 3],
    ["😀", 4],
  ])("%j is %i bytes", (text, bytes) => {
    expect(utf8Bytes(text)).toBe(bytes);
  });
});
