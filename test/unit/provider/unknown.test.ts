import { describe, expect, it } from "vitest";
import { containsUnknown, isUnknown, UNKNOWN } from "../../../provider/domain/unknown";

describe("unknown values", () => {
  it("is Pulumi's preview placeholder", () => {
    expect(UNKNOWN).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });

  it.each([
    [UNKNOWN, true],
    ["04da6b54", false],
    [null, false],
    [undefined, false],
    ["", false],
  ])("isUnknown(%j) → %s", (value, expected) => {
    expect(isUnknown(value)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ["the value itself", UNKNOWN, true],
    ["in an object", { a: { b: UNKNOWN } }, true],
    ["in an array", [1, [2, UNKNOWN]], true],
    ["in an array in an object", { timers: { inactive: "PT1M", closed: UNKNOWN } }, true],
    ["as a key only", { [UNKNOWN]: 1 }, false],
    ["nothing unknown", { a: [1, "x", null, { b: true }] }, false],
    ["null", null, false],
    ["a number", 5, false],
  ])("containsUnknown: %s → %s", (_name, value, expected) => {
    expect(containsUnknown(value)).toBe(expected);
  });
});
