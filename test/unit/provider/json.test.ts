import { describe, expect, it } from "vitest";
import { canonicalJson, jsonEqual, parseJsonText, sameJsonText } from "../../../provider/domain/json";

describe("canonicalJson", () => {
  it.each([
    ["flat object", { b: 1, a: 2 }, '{"a":2,"b":1}'],
    ["nested objects", { z: { y: 1, x: { w: 2, v: 3 } }, a: null }, '{"a":null,"z":{"x":{"v":3,"w":2},"y":1}}'],
    ["arrays keep their order", { list: [3, 1, 2] }, '{"list":[3,1,2]}'],
    ["objects inside arrays are sorted", [{ b: 1, a: 2 }, [{ d: 1, c: 2 }]], '[{"a":2,"b":1},[{"c":2,"d":1}]]'],
    ["scalars", "text", '"text"'],
    ["null", null, "null"],
    ["empty object", {}, "{}"],
  ])("%s", (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it("gives the same text whatever the key order", () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(canonicalJson({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }));
  });
});

describe("jsonEqual", () => {
  it.each([
    ["key order", { a: 1, b: 2 }, { b: 2, a: 1 }, true],
    ["nested key order", { x: { a: 1, b: 2 } }, { x: { b: 2, a: 1 } }, true],
    ["array order matters", [1, 2], [2, 1], false],
    ["different values", { a: 1 }, { a: 2 }, false],
    ["number vs string", { a: 1 }, { a: "1" }, false],
    ["extra key", { a: 1 }, { a: 1, b: 2 }, false],
    ["null vs empty object", null, {}, false],
    ["both null", null, null, true],
  ])("%s → %s", (_name, a, b, expected) => {
    expect(jsonEqual(a, b)).toBe(expected);
  });
});

describe("parseJsonText", () => {
  it.each([
    ["{}", {}],
    ['{"a":[1,2]}', { a: [1, 2] }],
    ["not json", "not json"],
    ["", ""],
    [null, null],
    [undefined, null],
  ])("%j → %j", (text, expected) => {
    expect(parseJsonText(text)).toEqual(expected);
  });
});

describe("sameJsonText", () => {
  it.each([
    ['{"a":1,"b":2}', '{ "b": 2, "a": 1 }', true],
    ["[1,2]", "[2,1]", false],
    ['{"a":1}', '{"a":2}', false],
    ["not json", "not json", true],
    ["not json", "not  json", false],
    ["{}", "not json", false],
  ])("%j vs %j → %s", (a, b, expected) => {
    expect(sameJsonText(a, b)).toBe(expected);
  });
});
