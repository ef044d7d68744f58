import { describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, heapGrowingPercent } from "../../../provider/heap-policy";

describe("the heap policy of the program and the provider's runtime", () => {
  it.each([
    ["unset", undefined, HEAP_GROWING_PERCENT],
    ["a whole number", "30", 30],
    ["0 (V8's own policy)", "0", 0],
    ["with spaces", " 80 ", 80],
    ["not a whole number", "1.5", HEAP_GROWING_PERCENT],
    ["not a number", "lots", HEAP_GROWING_PERCENT],
  ])("takes TWILIO_CONVERSATIONS_HEAP_GROWING_PERCENT %s", (_case, value, expected) => {
    expect(heapGrowingPercent({ TWILIO_CONVERSATIONS_HEAP_GROWING_PERCENT: value })).toBe(expected);
  });
});
