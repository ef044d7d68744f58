import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it, vi } from "vitest";
import program from "../../provider/program";
import { loadStackFile } from "../../schemas/load";
import { renderProblems } from "../../schemas/problems";
import { InvalidStackFileError, memberSids, runStackProgram, stackFilePath } from "../../provider/program/stack";
import { threadOrder, threadOrderProblem, type DeclaredThread } from "../../provider/resources/thread-model";
import { groupsOf } from "../../provider/domain/groups";
import { memberInputsOf } from "../../provider/domain/member-records";
import { CONVERSATION, CONVERSATION_GROUP, MESSAGE, fakeSid, useMocks as installMocks, settle, type Registration } from "../support/pulumi-mocks";

const ROOT = join(__dirname, "..", "..");

let registrations: Registration[];

async function useMocks(stack: string, config: Record<string, string> = {}, options: { groupsInPreview?: boolean } = {}): Promise<void> {
  registrations = await installMocks(stack, config, options);
}

/** Runs the program on a stack file with this text, as stack `stack`. */
async function runProgramOf(stack: string, yaml: string) {
  return settle(await declaredFrom(stack, yaml));
}

/** The program's outputs on a stack file with this text, unsettled. */
async function declaredFrom(stack: string, yaml: string, options: { groupsInPreview?: boolean } = {}) {
  const file = join(mkdtempSync(join(tmpdir(), "stack-")), `${stack}.yaml`);
  writeFileSync(file, yaml);
  await useMocks(stack, { stackFile: file }, options);
  return runStackProgram();
}

function registered(type: string, name: string): Registration {
  const found = registrations.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`${type} ${name} was not registered`);
  return found;
}

describe("the Pulumi program", () => {
  beforeEach(() => {
    registrations = [];
  });

  it("declares the staging seed: conversations, participants, messages in order (authored by participants), and their SIDs as outputs", async () => {
    await useMocks("staging", { stackFile: join(ROOT, "examples", "staging-seed.yaml") });
    const outputs = await settle(runStackProgram());

    // One resource per conversation: its seed messages are an input of it.
    expect(registrations.map((r) => `${r.type.split(":").pop()} ${r.name}`).sort()).toEqual([
      "Conversation onboarding-email",
      "Conversation order-1042",
    ]);

    // Only what the file declares: no explicit nulls, no defaults (adopt: never, webhooks off).
    expect(registered(CONVERSATION, "order-1042").inputs).toEqual({
      resourceName: "order-1042",
      stack: "staging",
      uniqueName: "staging-order-1042",
      friendlyName: "Order #1042: late delivery",
      dateCreated: "2024-03-01T09:14:00Z",
      state: "active",
      timers: { inactive: "PT2H" },
      attributes: { orderId: 1042, channel: "sms", customer: { name: "Ada", plan: "pro" } },
      participants: {
        customer: { messagingBinding: { address: "+15005550006", proxyAddress: "+15005550001" }, attributes: { name: "Ada" } },
        grace: { identity: "agent-grace", attributes: { team: "support" }, lastReadMessageIndex: 3 },
      },
      // An author given as { participant: <key> } is that participant's identity, or its address.
      messages: {
        opened: { author: "+15005550006", body: "Hi, my order 1042 has not arrived yet.", dateCreated: "2024-03-01T09:15:00Z" },
        ack: {
          after: "opened",
          author: "agent-grace",
          body: "Sorry about that! Let me check with the carrier.",
          attributes: { internal: false },
          dateCreated: "2024-03-01T09:17:30Z",
        },
        tracking: {
          after: "ack",
          author: "agent-grace",
          contentSid: "HX00000000000000000000000000000001",
          contentVariables: { "1": "Ada", "2": "1042", "3": "2024-03-02" },
          dateCreated: "2024-03-01T09:20:00Z",
        },
        photo: {
          after: "tracking",
          author: "+15005550006",
          body: "This is the box I received instead.",
          mediaSid: "ME00000000000000000000000000000001",
          dateCreated: "2024-03-01T09:25:00Z",
          dateUpdated: "2024-03-01T09:26:10Z",
        },
      },
    });
    // An unkeyed message is keyed by its position.
    expect(registered(CONVERSATION, "onboarding-email").inputs.messages).toEqual({
      welcome: {
        author: "onboarding@example.com",
        subject: "Welcome aboard",
        body: "Your workspace is ready.",
        dateCreated: "2024-02-28T08:00:00Z",
      },
      "1": { after: "welcome", author: "system", body: "Reminder sent automatically after 24 hours.", dateCreated: "2024-02-29T08:00:00Z" },
    });

    // Message SIDs come from the conversation's recorded thread, by key.
    const orderSid = fakeSid("CH", "order-1042");
    expect(outputs).toEqual({
      conversations: { "order-1042": orderSid, "onboarding-email": fakeSid("CH", "onboarding-email") },
      messages: {
        "order-1042": {
          opened: fakeSid("IM", "order-1042/opened"),
          ack: fakeSid("IM", "order-1042/ack"),
          tracking: fakeSid("IM", "order-1042/tracking"),
          photo: fakeSid("IM", "order-1042/photo"),
        },
        "onboarding-email": {
          welcome: fakeSid("IM", "onboarding-email/welcome"),
          "1": fakeSid("IM", "onboarding-email/1"),
        },
      },
      // Participant SIDs by key, from the conversation's recorded participants.
      participants: {
        "order-1042": { customer: fakeSid("MB", "order-1042/customer"), grace: fakeSid("MB", "order-1042/grace") },
      },
    });
  });

  it("links each message to the one before it, in the file's order, whatever order the keys sort in", async () => {
    await useMocks("staging", { stackFile: join(ROOT, "examples", "staging-seed.yaml") });
    await settle(runStackProgram());
    const order = registered(CONVERSATION, "order-1042").inputs.messages as DeclaredThread;
    expect(threadOrder(order)).toEqual(["opened", "ack", "tracking", "photo"]);
    expect(order.opened).not.toHaveProperty("after");
    expect(threadOrderProblem(order)).toBeNull();

    // A key that looks like a number sorts first in an object: only the links keep the order.
    const onboarding = registered(CONVERSATION, "onboarding-email").inputs.messages as DeclaredThread;
    expect(Object.keys(onboarding)).toEqual(["1", "welcome"]);
    expect(threadOrder(onboarding)).toEqual(["welcome", "1"]);

    // No message is a resource: nothing waits on one.
    expect(registrations.filter((r) => r.type === MESSAGE)).toEqual([]);
    for (const registration of registrations) expect(registration.dependencies.filter((d) => d.includes("Message"))).toEqual([]);
  });

  it("applies the service, per-stack guards and per-conversation overrides", async () => {
    await useMocks("prod", { stackFile: join(ROOT, "examples", "support-desk.yaml") });
    const outputs = await settle(runStackProgram());

    const general = registered(CONVERSATION, "support-general");
    const vip = registered(CONVERSATION, "support-vip");
    const archive = registered(CONVERSATION, "support-archive");
    expect(general.inputs.chatServiceSid).toBe("IS00000000000000000000000000000001");
    expect(general.inputs.adopt).toBe("ifExists");
    expect([general.protect, vip.protect, archive.protect]).toEqual([true, true, false]);
    expect([general.retainOnDelete, vip.retainOnDelete, archive.retainOnDelete]).toEqual([false, false, true]);
    expect([general.inputs.webhooksEnabled, vip.inputs.webhooksEnabled]).toEqual([undefined, true]);
    expect(archive.inputs.state).toBe("closed");
    expect(registrations.filter((r) => r.type === MESSAGE)).toEqual([]);
    expect(outputs.messages).toEqual({ "support-general": {}, "support-vip": {}, "support-archive": {} });
  });

  it("protects and retains the conversation with its thread, which is no resource of its own", async () => {
    await runProgramOf("guarded", "guards: { protect: true }\nconversations:\n  kept:\n    retainOnDelete: true\n    messages: [{ body: Hi }]\n  plain: {}\n");
    expect(registered(CONVERSATION, "kept")).toMatchObject({ protect: true, retainOnDelete: true, inputs: { messages: { "0": { body: "Hi" } } } });
    expect(registered(CONVERSATION, "plain")).toMatchObject({ protect: true, retainOnDelete: false });
    expect(registered(CONVERSATION, "plain").inputs).not.toHaveProperty("messages");
    expect(registrations.filter((r) => r.type === MESSAGE)).toEqual([]);
  });

  it("maps renamedFrom to an alias of the conversation, by its previous name; its messages keep their keys", async () => {
    const outputs = await runProgramOf(
      "renamed",
      "conversations:\n  helpdesk:\n    renamedFrom: support\n    messages: [{ key: hello, body: Hi }, { body: Second }]\n  lobby: {}\n",
    );
    expect(registered(CONVERSATION, "helpdesk").aliases).toEqual(["support"]);
    expect(registered(CONVERSATION, "helpdesk").inputs.messages).toEqual({ hello: { body: "Hi" }, "1": { after: "hello", body: "Second" } });
    expect(registered(CONVERSATION, "lobby").aliases).toEqual([]);
    expect(registered(CONVERSATION, "helpdesk").inputs).not.toHaveProperty("renamedFrom");
    expect(registrations.filter((r) => r.type === MESSAGE)).toEqual([]);
    expect(outputs.messages.helpdesk).toEqual({ hello: fakeSid("IM", "helpdesk/hello"), "1": fakeSid("IM", "helpdesk/1") });
  });

  it("in grouped seeding, registers one group per non-empty bucket and gives the same stack outputs as one resource per conversation", async () => {
    const staging = readFileSync(join(ROOT, "examples", "staging-seed.yaml"), "utf8");
    const perConversation = await runProgramOf("staging", staging);
    const perConversationInputs = Object.fromEntries(registrations.map((r) => [r.name, r.inputs]));
    const grouped = await runProgramOf("staging", `seeding: { groups: 3 }\n${staging}`);

    const expectedGroups = [...groupsOf(Object.keys(perConversation.conversations), 3).keys()].map((bucket) => `ConversationGroup group-${bucket}-of-3`).sort();
    expect(registrations.map((r) => `${r.type.split(":").pop()} ${r.name}`).sort()).toEqual(expectedGroups);
    // Each member's inputs are those its own resource would have, under a name of the group's
    // (`<group>/<logical name>`), which tells the two holders apart when a stack switches modes.
    const members: Record<string, Record<string, unknown>> = {};
    for (const r of registrations) {
      for (const [logicalName, kept] of Object.entries(r.inputs.members as Record<string, unknown>)) {
        // Registered as their JSON text: they hold only values.
        expect(typeof kept).toBe("string");
        const inputs = memberInputsOf(kept as string);
        expect(inputs.resourceName).toBe(`${r.name}/${logicalName}`);
        members[logicalName] = { ...inputs, resourceName: logicalName };
      }
    }
    expect(members).toEqual(perConversationInputs);
    expect(grouped).toEqual(perConversation);
    expect(Object.keys(grouped.messages["order-1042"]).length).toBeGreaterThan(0);
  });

  it("in grouped seeding, registers a member's inputs that wait on a service the stack declares as an object, which the engine resolves", async () => {
    const outputs = await runProgramOf("staging", "seeding: { groups: 1 }\nservice: { friendlyName: Support }\nconversations:\n  lobby: { friendlyName: Lobby }\n");
    const [group] = registrations.filter((r) => r.type === CONVERSATION_GROUP);
    const lobby = (group.inputs.members as Record<string, unknown>).lobby;
    expect(typeof lobby).toBe("object");
    expect(memberInputsOf(lobby as Record<string, unknown>)).toMatchObject({ friendlyName: "Lobby", chatServiceSid: expect.any(String) });
    expect(outputs.conversations.lobby).toMatch(/^CH/);
  });

  it("in grouped seeding, gives stack outputs in a preview, where a group's members are its inputs (no SIDs yet)", async () => {
    const yaml = "seeding: { groups: 2 }\nconversations:\n  lobby:\n    participants: { ada: { identity: ada } }\n    messages: [{ key: hello, author: ada, body: Hi }]\n";
    const outputs = await declaredFrom("staging", yaml, { groupsInPreview: true });
    // Each SID is known after apply: unknown, not an error.
    const known = (output: unknown) => (output as { isKnown: Promise<boolean> }).isKnown;
    expect(await Promise.all([outputs.conversations.lobby, outputs.messages.lobby, outputs.participants.lobby].map(known))).toEqual([false, false, false]);
    // The engine is told each is unknown: the stack outputs a group's preview registers.
    const serialized = await pulumi.runtime.serializeProperties("outputs", { conversations: outputs.conversations, messages: outputs.messages, participants: outputs.participants });
    expect(serialized).toEqual({ conversations: { lobby: pulumi.runtime.unknownValue }, messages: { lobby: pulumi.runtime.unknownValue }, participants: { lobby: pulumi.runtime.unknownValue } });
    expect(registrations.map((r) => r.name)).toEqual(["group-1-of-2"]);
  });

  it("in grouped seeding, tells each group the renames that concern it: within a group, and across groups with the unique name taken over by", async () => {
    // With 2 groups: support and hall are in group 0, helpdesk and lobby in group 1.
    await runProgramOf(
      "staging",
      "seeding: { groups: 2 }\nconversations:\n  hall: { renamedFrom: support }\n  helpdesk: { uniqueName: desk, renamedFrom: front }\n  lobby: {}\n",
    );
    const inputsOf = (name: string) => registrations.find((r) => r.name === name)!.inputs;
    expect(inputsOf("group-0-of-2")).toMatchObject({ renamedFrom: { hall: "support" }, renamedAway: { front: { to: "helpdesk", uniqueName: "desk" } } });
    expect(inputsOf("group-1-of-2")).toMatchObject({ renamedFrom: { helpdesk: "front" } });
    expect(inputsOf("group-1-of-2")).not.toHaveProperty("renamedAway");
    await runProgramOf("staging", "seeding: { groups: 2 }\nconversations:\n  lobby: {}\n");
    expect(Object.keys(inputsOf("group-1-of-2")).sort()).toEqual(["members", "resourceName", "stack"]);
  });

  it("in grouped seeding, protects the groups when guards.protect is set", async () => {
    await runProgramOf("staging", "seeding: { groups: 2 }\nguards: { protect: true }\nconversations: { lobby: {}, desk: {} }\n");
    expect(registrations.length).toBeGreaterThan(0);
    expect(registrations.every((r) => r.type === CONVERSATION_GROUP && r.protect)).toBe(true);
  });

  it("stops before registering anything when the stack file is invalid, with the rendered problems", async () => {
    const file = join(ROOT, "test", "fixtures", "invalid", "seed-messages-in-production.yaml");
    await useMocks("prod", { stackFile: file });
    const expected = loadStackFile(file);
    if (expected.ok) throw new Error("fixture should be invalid");

    let thrown: unknown;
    try {
      runStackProgram();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidStackFileError);
    expect((thrown as Error).message).toBe(`${file} is not a valid stack file:\n\n${renderProblems(expected.problems)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(registrations).toEqual([]);
  });

  it("as Pulumi's entry point, prints the problems and exits 1 rather than throwing through Pulumi's slow error path", async () => {
    const file = join(ROOT, "test", "fixtures", "invalid", "alias-bomb.yaml");
    await useMocks("dev", { stackFile: file });
    const expected = loadStackFile(file);
    if (expected.ok) throw new Error("fixture should be invalid");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const exit = vi.spyOn(process, "exit").mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    try {
      expect(() => program()).toThrow("exit 1");
      expect(stderr).toHaveBeenCalledWith(`${file} is not a valid stack file:\n\n${renderProblems(expected.problems)}\n`);
      expect(registrations).toEqual([]);
    } finally {
      stderr.mockRestore();
      exit.mockRestore();
    }
  });

  it("reads stacks/<stack>.yaml from the project root when stackFile is not set, and says what to do when it is missing", async () => {
    await useMocks("no-such-stack");
    expect(() => runStackProgram()).toThrow(
      `stack "no-such-stack" has no stack file: looked for ${join("stacks", "no-such-stack.yaml")} (${join(process.cwd(), "stacks", "no-such-stack.yaml")}).\n` +
        `Create it (the smallest stack file is the line "conversations: {}"), or point the stack at another file: pulumi config set stackFile path/to/file.yaml`,
    );
    expect(stackFilePath(undefined, "dev")).toBe(join("stacks", "dev.yaml"));
    expect(stackFilePath("config/prod.yaml", "prod")).toBe("config/prod.yaml");
  });

  it("names the file the stackFile config gives when it is missing, and how to create it", async () => {
    await useMocks("eu", { stackFile: join("config", "eu.yaml") });
    expect(() => runStackProgram()).toThrow(
      `stack "eu": its stackFile config names ${join("config", "eu.yaml")} (${join(process.cwd(), "config", "eu.yaml")}), which does not exist.\n` +
        `Create it (the smallest stack file is the line "conversations: {}"), or point the stack at another file: pulumi config set stackFile path/to/file.yaml`,
    );
  });
});

describe("memberSids: a group member's SIDs for its stack outputs", () => {
  const declared = { lobby: { messages: ["hello", "1"], participants: ["ada"] }, desk: { messages: [], participants: [] } };
  const thread = { hello: { sid: "IM1" }, "1": { sid: "IM2" } };
  it.each([
    [
      "recorded by an up: every SID",
      { lobby: { id: "CH1", outs: { messages: thread, participants: { ada: { sid: "MB1" } } } }, desk: { id: "CH2", outs: {} } },
      { lobby: { sid: "CH1", messages: { hello: "IM1", "1": "IM2" }, participants: { ada: "MB1" } }, desk: { sid: "CH2", messages: {}, participants: {} } },
    ],
    [
      "a preview of the group's update (its inputs as members): nothing known yet",
      { lobby: { resourceName: "g/lobby", messages: { hello: { body: "Hi" } } }, desk: {} },
      { lobby: { sid: null, messages: null, participants: null }, desk: { sid: null, messages: {}, participants: {} } },
    ],
    [
      "a message declared but not recorded: its map is not known as a whole",
      { lobby: { id: "CH1", outs: { messages: { hello: { sid: "IM1" } }, participants: { ada: { sid: "MB1" } } } } },
      { lobby: { sid: "CH1", messages: null, participants: { ada: "MB1" } }, desk: { sid: null, messages: {}, participants: {} } },
    ],
    ["no members recorded", undefined, { lobby: { sid: null, messages: null, participants: null }, desk: { sid: null, messages: {}, participants: {} } }],
  ])("%s", (_case, recorded, expected) => {
    expect(memberSids(recorded as Parameters<typeof memberSids>[0], declared)).toEqual(expected);
  });
});
