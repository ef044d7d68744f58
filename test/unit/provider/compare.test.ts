import { describe, expect, it } from "vitest";
import { declaredDiffers, valueDiffers, type Comparison } from "../../../provider/diff/compare";
import { UNKNOWN } from "../../../provider/domain/unknown";

describe("declaredDiffers", () => {
  it.each<[string, unknown, unknown, Comparison, boolean]>([
    ["left out (null) is unmanaged", null, "x", "text", false],
    ["left out (undefined) is unmanaged", undefined, "x", "text", false],
    ["unknown always might change", UNKNOWN, "x", "text", true],
    ["unknown inside JSON", { a: UNKNOWN }, { a: 1 }, "json", true],
    ["declared but Twilio has nothing", "x", null, "text", true],
    ["same text", "x", "x", "text", false],
    ["different text", "x", "y", "text", true],
    ["text is case-sensitive", "Support", "support", "text", true],
    ["JSON key order is not a change", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, "json", false],
    ["JSON value change", { a: 1 }, { a: 2 }, "json", true],
    ["JSON array order is a change", { a: [1, 2] }, { a: [2, 1] }, "json", true],
    ["PT60S == PT1M", "PT60S", "PT1M", "duration", false],
    ["P1D == PT24H", "P1D", "PT24H", "duration", false],
    ["PT2M != PT1M", "PT2M", "PT1M", "duration", true],
    ["same instant, different offset", "2024-01-31T10:30:00+01:00", "2024-01-31T09:30:00Z", "instant", false],
    ["same instant with milliseconds spelled out", "2024-01-31T09:30:00.000Z", "2024-01-31T09:30:00Z", "instant", false],
    ["different instant", "2024-01-31T09:30:01Z", "2024-01-31T09:30:00Z", "instant", true],
    ["a fraction of a second Twilio drops", "2024-01-31T09:30:00.750Z", "2024-01-31T09:30:00Z", "instant", false],
    ["a fraction across a second boundary", "2024-01-31T09:30:00.999Z", "2024-01-31T09:30:01Z", "instant", true],
    ["a declared instant that is not a date", "yesterday", "2024-01-31T09:30:00Z", "instant", true],
    ["a set: order and repeats are not a change", ["a", "b", "a"], ["b", "a"], "set", false],
    ["a set: an item fewer", ["a"], ["a", "b"], "set", true],
    ["a set against a single value", ["a"], "a", "set", true],
    ["a value: a boolean and its text", true, "true", "value", false],
    ["a value: a number and its text", 3, "3", "value", false],
    ["a value: text is case-sensitive", "Support", "support", "value", true],
    ["a value: a list as a set", ["b", "a"], ["a", "b"], "value", false],
    ["a value: an object as JSON", { a: 1, b: 2 }, { b: 2, a: 1 }, "value", false],
    ["a value: a list against an object", ["a"], { 0: "a" }, "value", true],
    ["text: a boolean and its text differ", true, "true", "text", true],
  ])("%s", (_name, declared, current, comparison, expected) => {
    expect(declaredDiffers(declared, current, comparison)).toBe(expected);
  });

  it.each<[string, unknown, unknown, Comparison, boolean]>([
    ["a method in either case", "post", "POST", "value", false],
    ["another method", "GET", "POST", "value", true],
    ["text without case", "Support", "support", "text", false],
    ["left out, still unmanaged", null, "POST", "value", false],
    ["unknown, still might change", UNKNOWN, "POST", "value", true],
  ])("caseless: %s", (_name, declared, current, comparison, expected) => {
    expect(declaredDiffers(declared, current, comparison, true)).toBe(expected);
  });
});

describe("valueDiffers", () => {
  it.each<[string, unknown, unknown, boolean]>([
    ["both absent", null, undefined, false],
    ["same", "ME1", "ME1", false],
    ["added", "ME1", null, true],
    ["removed", null, "ME1", true],
    ["changed", "ME1", "ME2", true],
    ["JSON key order", { a: "1", b: "2" }, { b: "2", a: "1" }, false],
    ["JSON value", { a: "1" }, { a: "2" }, true],
    ["unknown", UNKNOWN, UNKNOWN, true],
    ["unknown inside", { a: UNKNOWN }, { a: "1" }, true],
    ["boolean flip", true, false, true],
  ])("%s → %s", (_name, next, previous, expected) => {
    expect(valueDiffers(next, previous)).toBe(expected);
  });
});
