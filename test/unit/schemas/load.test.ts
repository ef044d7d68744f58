import { YAMLException, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { closestTo } from "../../../schemas/issues";
import { loadStackText, type LoadResult } from "../../../schemas/load";
import { formatPath, renderProblems } from "../../../schemas/problems";

function captureYamlError(text: string): YAMLException {
  try {
    load(text);
  } catch (error) {
    if (error instanceof YAMLException) return error;
  }
  throw new Error("expected a YAML error");
}

function problemsOf(result: LoadResult) {
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

function specOf(result: LoadResult) {
  if (!result.ok) throw new Error(renderProblems(result.problems));
  return result.spec;
}

describe("loadStackText", () => {
  it("applies defaults to a minimal file", () => {
    const spec = specOf(loadStackText("conversations:\n  lobby: {}\n", "stack.yaml"));
    expect(spec).toEqual({
      service: "default",
      defaults: { webhooks: false },
      guards: { production: false, protect: false },
      conversations: { lobby: { adopt: "never", retainOnDelete: false, messages: [], participants: {}, scopedWebhooks: {} } },
    });
  });

  it("keeps attributes as mappings and turns content variables into strings", () => {
    const text = [
      "conversations:",
      "  lobby:",
      "    attributes: { tier: 2, tags: [a, b], nested: { ok: true } }",
      "    messages:",
      "      - contentSid: HX00000000000000000000000000000001",
      '        contentVariables: { "1": 42, "2": true, "3": Ada }',
    ].join("\n");
    const lobby = specOf(loadStackText(text, "stack.yaml")).conversations.lobby;
    expect(lobby.attributes).toEqual({ tier: 2, tags: ["a", "b"], nested: { ok: true } });
    expect(lobby.messages[0].contentVariables).toEqual({ "1": "42", "2": "true", "3": "Ada" });
  });

  it("accepts a closed state, which the provider reaches by closing after creating", () => {
    const spec = specOf(loadStackText("conversations:\n  old:\n    state: closed\n", "stack.yaml"));
    expect(spec.conversations.old.state).toBe("closed");
  });

  it("reports every problem of the file in one pass, in position order", () => {
    const text = [
      "conversations:", //                                  1
      "  b-conv:", //                                       2
      "    messages:", //                                   3
      "      - body: Hi", //                                4
      "        author: 42", //                              5
      "  A:", //                                            6
      "    state: open", //                                 7
      "    timers: { inactive: PT1S }", //                  8
      "guards: { production: true, protec: true }", //      9
    ].join("\n");
    const located = problemsOf(loadStackText(text, "s.yaml")).map((p) => `${p.line}:${p.column} ${p.path}`);
    expect(located).toEqual([
      "3:5 conversations.b-conv.messages",
      "5:9 conversations.b-conv.messages[0].author",
      "6:3 conversations.A",
      "7:5 conversations.A.state",
      "8:15 conversations.A.timers.inactive",
      "9:29 guards.protec",
    ]);
  });

  it("locates keys in flow mappings and quoted keys, and quotes odd keys in paths", () => {
    const text = 'conversations: { lobby: { "friendly name": x } }\n';
    const [problem] = problemsOf(loadStackText(text, "s.yaml"));
    expect(problem).toMatchObject({ line: 1, column: 27, path: 'conversations.lobby["friendly name"]' });
  });

  it("points a problem about a whole list item at the item", () => {
    const text = "conversations:\n  lobby:\n    messages:\n      - body: Hi\n      -   author: ada\n";
    const [problem] = problemsOf(loadStackText(text, "s.yaml"));
    expect(problem).toMatchObject({ line: 5, column: 11, path: "conversations.lobby.messages[1]" });
  });

  it("keeps js-yaml's mark and reason for syntax errors", () => {
    const text = "conversations:\n  lobby: [\n";
    const thrown = captureYamlError(text);
    const [problem] = problemsOf(loadStackText(text, "s.yaml"));
    expect(problem).toMatchObject({ line: thrown.mark!.line + 1, column: thrown.mark!.column + 1, path: "" });
    expect(problem.message.startsWith(`${thrown.reason}\n`)).toBe(true);
    expect(problem.message).toContain(thrown.mark!.snippet!.trimEnd());
  });

  it("refuses, in grouped seeding, what a group member cannot have and a rename into another group without a uniqueName: each where it is written, with what to do", () => {
    const text = "seeding:\n  groups: 4\nconversations:\n  lobby:\n    renamedFrom: hall\n    protect: false\n  desk:\n    uniqueName: desk\n    adopt: ifExists\n    retainOnDelete: true\n";
    expect(renderProblems(problemsOf(loadStackText(text, "seed.yaml")))).toBe(
      [
        "seed.yaml:5:5 conversations.lobby.renamedFrom",
        '  ✖ renaming "hall" to "lobby" moves it from group 2 to group 3 (of seeding.groups: 4), which takes the conversation over by its uniqueName, and it declares none',
        "  hint: give the conversation a uniqueName and run up, then rename it; or rename it without seeding:",
        "",
        "seed.yaml:6:5 conversations.lobby.protect",
        "  ✖ protect is not supported in grouped seeding (seeding.groups): it needs the conversation's own resource",
        "  hint: remove protect from this conversation, or remove seeding: to give each conversation its own resource",
        "",
        "seed.yaml:9:5 conversations.desk.adopt",
        "  ✖ adopt is not supported in grouped seeding (seeding.groups): it needs the conversation's own resource",
        "  hint: remove adopt from this conversation, or remove seeding: to give each conversation its own resource",
        "",
        "seed.yaml:10:5 conversations.desk.retainOnDelete",
        "  ✖ retainOnDelete is not supported in grouped seeding (seeding.groups): it needs the conversation's own resource",
        "  hint: remove retainOnDelete from this conversation, or remove seeding: to give each conversation its own resource",
      ].join("\n"),
    );
    // The same conversations without seeding: are valid.
    specOf(loadStackText(text.replace("seeding:\n  groups: 4\n", ""), "seed.yaml"));
    // A rename within its group (helpdesk, as lobby, is in group 3 of 4), or with a uniqueName, is valid.
    specOf(loadStackText("seeding:\n  groups: 4\nconversations:\n  lobby:\n    renamedFrom: helpdesk\n", "seed.yaml"));
    specOf(loadStackText("seeding:\n  groups: 4\nconversations:\n  lobby:\n    uniqueName: lobby\n    renamedFrom: hall\n", "seed.yaml"));
  });

  it("does not suggest a key that is far from every allowed key", () => {
    const [problem] = problemsOf(loadStackText("zzz: 1\nconversations: {}\n", "s.yaml"));
    expect(problem.hint).toBe("remove it; keys allowed here: service, roles, users, account, addressConfigurations, pushCredentials, defaults, guards, seeding, conversations");
  });
});

describe("closestTo", () => {
  it.each([
    ["uniqeName", "uniqueName"],
    ["unique_name", "uniqueName"],
    ["FRIENDLYNAME", "friendlyName"],
    ["conversation", "conversations"],
    ["colour", undefined],
  ])("%s → %s", (text, expected) => {
    expect(closestTo(text, ["uniqueName", "friendlyName", "conversations", "state"])).toBe(expected);
  });
});

describe("renderProblems", () => {
  it("sorts by position, separates problems with a blank line and omits what is absent", () => {
    const text = renderProblems([
      { file: "a.yaml", line: 9, column: 1, path: "x", message: "second", hint: "fix x" },
      { file: "a.yaml", line: 2, column: 5, path: "", message: "first" },
    ]);
    expect(text).toBe("a.yaml:2:5\n  ✖ first\n\na.yaml:9:1 x\n  ✖ second\n  hint: fix x");
  });

  it("formats paths with dots and indexes", () => {
    expect(formatPath(["conversations", "support", "messages", 0, "author"])).toBe(
      "conversations.support.messages[0].author",
    );
    expect(formatPath(["attributes", "a.b"])).toBe('attributes["a.b"]');
  });
});
