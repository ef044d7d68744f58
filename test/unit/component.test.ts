// ConversationsStack under Pulumi's mocks: what it registers, under which names and parent, with
// which inputs; and what it says when its file or spec is wrong.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConversationsStack, type ConversationsStackArgs } from "../../provider/component";
import { CONVERSATION, CONVERSATION_GROUP, MESSAGE, PROJECT, fakeSid, settle, useMocks, valueOf, type Registration } from "../support/pulumi-mocks";
import { membersInputsOf } from "../../provider/domain/member-records";

const COMPONENT = "twilio-conversations:index:ConversationsStack";

// One stack, as an object and as the stack file that says the same.
const SPEC = {
  service: "IS00000000000000000000000000000001",
  defaults: { webhooks: true },
  conversations: {
    helpdesk: {
      uniqueName: "helpdesk",
      friendlyName: "Help desk",
      renamedFrom: "support",
      attributes: { team: "support", tier: 2 },
      messages: [{ key: "hello", author: "system", body: "Hi" }, { author: "agent-ada", body: "How can I help?" }],
    },
    lobby: { state: "inactive", protect: true },
  },
};
const SPEC_YAML = `service: IS00000000000000000000000000000001
defaults: { webhooks: true }
conversations:
  helpdesk:
    uniqueName: helpdesk
    friendlyName: Help desk
    renamedFrom: support
    attributes: { team: support, tier: 2 }
    messages:
      - { key: hello, author: system, body: Hi }
      - { author: agent-ada, body: How can I help? }
  lobby: { state: inactive, protect: true }
`;

/** Declares the component in a fresh mocked stack; returns what was registered, once it all was. */
async function declare(name: string, args: ConversationsStackArgs) {
  const registrations = await useMocks("dev");
  const component = new ConversationsStack(name, args);
  const outputs = await settle(component);
  await valueOf(component.urn);
  return { registrations, outputs };
}

/** The Conversations and Messages registered, by name (the engine may register them in any order). */
function children(registrations: Registration[]) {
  return registrations.filter((r) => r.type === CONVERSATION || r.type === MESSAGE).sort((a, b) => a.name.localeCompare(b.name));
}

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("nothing was thrown");
}

/** A project folder (with Pulumi.yaml) and the program's folder `src/` in it, as with `main: src/`. */
function projectWithProgramIn(): { project: string; program: string } {
  const project = realpathSync(mkdtempSync(join(tmpdir(), "component-project-")));
  writeFileSync(join(project, "Pulumi.yaml"), "name: infra\nruntime: nodejs\nmain: src/\n");
  mkdirSync(join(project, "src"));
  return { project, program: join(project, "src") };
}

describe("ConversationsStack", () => {
  it("declares from a spec object the same resources, inputs and outputs as from the equivalent file", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "component-")), "support.yaml");
    writeFileSync(file, SPEC_YAML);
    const fromFile = await declare("support", { file });
    const fromSpec = await declare("support", { spec: SPEC });

    expect(children(fromSpec.registrations).map((r) => `${r.type.split(":").pop()} ${r.name}`)).toEqual([
      "Conversation support/helpdesk",
      "Conversation support/lobby",
    ]);
    expect(children(fromSpec.registrations)).toEqual(children(fromFile.registrations));
    expect(fromSpec.registrations.filter((r) => r.type === COMPONENT)).toEqual(fromFile.registrations.filter((r) => r.type === COMPONENT));
    expect(fromSpec.outputs).toEqual(fromFile.outputs);
    expect(fromSpec.outputs).toEqual({
      conversations: { helpdesk: fakeSid("CH", "support/helpdesk"), lobby: fakeSid("CH", "support/lobby") },
      messages: {
        helpdesk: { hello: fakeSid("IM", "support/helpdesk/hello"), "1": fakeSid("IM", "support/helpdesk/1") },
        lobby: {},
      },
      participants: {},
    });
    const helpdesk = fromSpec.registrations.find((r) => r.name === "support/helpdesk");
    expect(helpdesk?.inputs).toMatchObject({
      resourceName: "support/helpdesk",
      chatServiceSid: "IS00000000000000000000000000000001",
      uniqueName: "helpdesk",
      attributes: { team: "support", tier: 2 },
      webhooksEnabled: true,
      messages: {
        hello: { author: "system", body: "Hi" },
        "1": { after: "hello", author: "agent-ada", body: "How can I help?" },
      },
    });
    expect(fromSpec.registrations.find((r) => r.name === "support/lobby")).toMatchObject({ protect: true, inputs: { state: "inactive" } });
    expect(fromSpec.registrations.find((r) => r.name === "support/lobby")?.inputs).not.toHaveProperty("messages");
  });

  it("names its children <name>/<logical name> by default, as children of the component, aliases included", async () => {
    const { registrations } = await declare("support", { spec: SPEC });
    const component = registrations.find((r) => r.type === COMPONENT);
    expect(component?.urn).toBe(`urn:pulumi:dev::${PROJECT}::${COMPONENT}::support`);
    const under = `urn:pulumi:dev::${PROJECT}::${COMPONENT}$`;
    expect(children(registrations).map((r) => [r.urn, r.parent, r.aliases])).toEqual([
      [`${under}${CONVERSATION}::support/helpdesk`, component?.urn, ["support/support"]],
      [`${under}${CONVERSATION}::support/lobby`, component?.urn, []],
    ]);
  });

  it("with seeding: { groups }, declares its conversations as groups under the component, members named as its own children would be, outputs unchanged", async () => {
    const plain = { ...SPEC, conversations: { helpdesk: { ...SPEC.conversations.helpdesk, renamedFrom: undefined }, lobby: { state: "inactive" } } };
    const perConversation = await declare("support", { spec: plain });
    const { registrations, outputs } = await declare("support", { spec: plain, seeding: { groups: 1 } });
    const component = registrations.find((r) => r.type === COMPONENT);
    const groups = registrations.filter((r) => r.type === CONVERSATION_GROUP);
    expect(groups.map((r) => [r.name, r.parent])).toEqual([["support/group-0-of-1", component?.urn]]);
    expect(Object.values(membersInputsOf(groups[0].inputs.members)).map((member) => member.resourceName).sort()).toEqual(["support/group-0-of-1/helpdesk", "support/group-0-of-1/lobby"]);
    expect(children(registrations)).toEqual([]);
    expect(outputs).toEqual(perConversation.outputs);
  });

  it("with seeding: { groups }, refuses what a group cannot hold, naming each, before declaring anything", async () => {
    await useMocks("dev");
    // helpdesk (group 1 of 2) has a uniqueName: its rename from support (group 0) is held.
    const error = thrownBy(() => new ConversationsStack("support", { spec: SPEC, seeding: { groups: 2 } }));
    expect(error.message).toBe(
      [
        'ConversationsStack "support": grouped seeding (seeding.groups) cannot hold these conversations as declared:',
        "conversations.lobby.protect: protect is not supported in grouped seeding (seeding.groups): it needs the conversation's own resource",
        "  hint: remove protect from this conversation, or remove seeding: to give each conversation its own resource",
      ].join("\n"),
    );
    const { uniqueName: _uniqueName, ...unnamed } = SPEC.conversations.helpdesk;
    expect(thrownBy(() => new ConversationsStack("unnamed", { spec: { conversations: { helpdesk: unnamed } }, seeding: { groups: 2 } })).message).toBe(
      [
        'ConversationsStack "unnamed": grouped seeding (seeding.groups) cannot hold these conversations as declared:',
        'conversations.helpdesk.renamedFrom: renaming "support" to "helpdesk" moves it from group 0 to group 1 (of seeding.groups: 2), which takes the conversation over by its uniqueName, and it declares none',
        "  hint: give the conversation a uniqueName and run up, then rename it; or rename it without seeding:",
      ].join("\n"),
    );
    expect(thrownBy(() => new ConversationsStack("other", { spec: { conversations: {} }, seeding: { groups: 0 } })).message).toMatch(/seeding.groups must be a whole number from 1 to 10000, received 0/);
  });

  it("names its children with a namePrefix given, the previous names of a rename too", async () => {
    const { registrations, outputs } = await declare("support", { spec: SPEC, namePrefix: "eu-" });
    const under = `urn:pulumi:dev::${PROJECT}::${COMPONENT}$`;
    expect(children(registrations).map((r) => [r.urn, r.inputs.resourceName, r.aliases])).toEqual([
      [`${under}${CONVERSATION}::eu-helpdesk`, "eu-helpdesk", ["eu-support"]],
      [`${under}${CONVERSATION}::eu-lobby`, "eu-lobby", []],
    ]);
    // Outputs keep the stack file's names; message SIDs come from the prefixed conversation's thread.
    expect(Object.keys(outputs.conversations)).toEqual(["helpdesk", "lobby"]);
    expect(outputs.messages).toEqual({ helpdesk: { hello: fakeSid("IM", "eu-helpdesk/hello"), "1": fakeSid("IM", "eu-helpdesk/1") }, lobby: {} });

    const bare = await declare("plain", { spec: SPEC, namePrefix: "" });
    expect(children(bare.registrations).map((r) => r.name)).toEqual(["helpdesk", "lobby"]);
  });

  it("gives every child the config namespace of its settings, and none without settings", async () => {
    const { registrations } = await declare("eu", { spec: SPEC, settings: { configNamespace: "twilio-eu" } });
    expect(children(registrations).map((r) => [r.name, r.inputs.settingsNamespace])).toEqual([
      ["eu/helpdesk", "twilio-eu"],
      ["eu/lobby", "twilio-eu"],
    ]);

    const defaults = await declare("us", { spec: SPEC });
    expect(children(defaults.registrations)).toHaveLength(2);
    for (const child of children(defaults.registrations)) expect(child.inputs).not.toHaveProperty("settingsNamespace");
  });

  it("stops before declaring any child when the spec is invalid, with the rendered problems", async () => {
    const registrations = await useMocks("dev");
    const spec = { conversations: { helpdesk: { state: "paused", messages: [{ author: "system" }] } } };
    expect(() => new ConversationsStack("support", { spec })).toThrowErrorMatchingInlineSnapshot(`
      [Error: ConversationsStack "support": spec is not a valid stack file:

      spec:4:7 conversations.helpdesk.state
        ✖ expected one of active, inactive, closed, received "paused"
        hint: use one of active, inactive, closed

      spec:6:9 conversations.helpdesk.messages[0]
        ✖ the message has no content: no body, mediaSid or contentSid
        hint: add a body, a mediaSid, or a contentSid]
    `);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(children(registrations)).toEqual([]);
  });

  it("needs exactly one of file and spec", async () => {
    await useMocks("dev");
    const expected = "ConversationsStack needs exactly one of `file` (a stack file's path) or `spec` (its content)";
    expect(() => new ConversationsStack("both", { file: "stacks/dev.yaml", spec: SPEC })).toThrow(expected);
    expect(() => new ConversationsStack("neither", {})).toThrow(expected);
    expect(() => new ConversationsStack("neither", { namePrefix: "x-" })).toThrow(expected);
  });

  it("says which component's file is missing, where it looked, that paths start at the project, and how to create it", async () => {
    await useMocks("dev");
    const { project, program } = projectWithProgramIn();
    const cwd = process.cwd();
    process.chdir(program);
    try {
      const error = thrownBy(() => new ConversationsStack("support", { file: "stacks/support.yaml" }));
      expect(error.message.replaceAll(project, "<project>")).toMatchInlineSnapshot(`
        "ConversationsStack "support": its file stacks/support.yaml does not exist: looked for <project>/stacks/support.yaml (a relative \`file\` is taken from the project, the folder of Pulumi.yaml: <project>).
        Create it (the smallest stack file is the line "conversations: {}"), or give \`file\` the path of another stack file, or pass its content as \`spec\`"
      `);
    } finally {
      process.chdir(cwd);
    }
  });
});
