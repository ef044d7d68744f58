import { describe, expect, it } from "vitest";
import { withoutUndeclared } from "../../../provider/domain/declared";

describe("withoutUndeclared", () => {
  it.each([
    ["drops null and undefined", { a: 1, b: null, c: undefined }, {}, { a: 1 }],
    ["drops a value equal to its default", { adopt: "never", webhooksEnabled: false }, { adopt: "never", webhooksEnabled: false }, {}],
    ["keeps a value that differs from its default", { adopt: "ifExists", webhooksEnabled: true }, { adopt: "never", webhooksEnabled: false }, { adopt: "ifExists", webhooksEnabled: true }],
    ["keeps falsy values that are declared", { body: "", index: 0, enabled: false }, {}, { body: "", index: 0, enabled: false }],
    ["prunes the top level only: a null inside a value means what it says", { attributes: { gone: null } }, {}, { attributes: { gone: null } }],
  ])("%s", (_name, inputs, defaults, expected) => {
    expect(withoutUndeclared(inputs as Record<string, unknown>, defaults)).toEqual(expected);
  });
});
