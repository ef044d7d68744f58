import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import program from "../../provider/program";
import { loadStackFile } from "../../schemas/load";
import { renderProblems } from "../../schemas/problems";
import { InvalidStackFileError, runStackProgram, stackFilePath } from "../../provider/stack-program";
import { CONVERSATION, MESSAGE, fakeSid, useMocks as installMocks, settle, type Registration } from "../support/pulumi-mocks";

const ROOT = join(__dirname, "..", "..");

let registrations: Registration[];

async function useMocks(stack: string, config: Record<string, string> = {}): Promise<void> {
  registrations = await installMocks(stack, config);
}

/** Runs the program on a stack file with this text, as stack `stack`. */
async function runProgramOf(stack: string, yaml: string) {
  const file = join(mkdtempSync(join(tmpdir(), "stack-")), `${stack}.yaml`);
  writeFileSync(file, yaml);
  await useMocks(stack, { stackFile: file });
  return settle(runStackProgram());
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

  it("declares the staging seed: conversations, messages in order, and their SIDs as outputs", async () => {
    await useMocks("staging", { stackFile: join(ROOT, "examples", "staging-seed.yaml") });
    const outputs = await settle(runStackProgram());

    expect(registrations.map((r) => `${r.type.split(":").pop()} ${r.name}`).sort()).toEqual([
      "Conversation onboarding-email",
      "Conversation order-1042",
      "Message onboarding-email/1",
      "Message onboarding-email/welcome",
      "Message order-1042/ack",
      "Message order-1042/opened",
      "Message order-1042/photo",
      "Message order-1042/tracking",
    ]);

    // Only what the file declares: no explicit nulls, no defaults (adopt: never, webhooks off).
    expect(registered(CONVERSATION, "order-1042").inputs).toEqual({
      resourceName: "order-1042",
      stack: "staging",
      uniqueName: "staging-order-1042",
      friendlyName: "Order #1042: late delivery",
      state: "active",
      timers: { inactive: "PT2H" },
      attributes: { orderId: 1042, channel: "sms", customer: { name: "Ada", plan: "pro" } },
    });

    const orderSid = fakeSid("CH", "order-1042");
    expect(registered(MESSAGE, "order-1042/tracking").inputs).toEqual({
      resourceName: "order-1042/tracking",
      stack: "staging",
      conversationSid: orderSid,
      author: "agent-grace",
      contentSid: "HX00000000000000000000000000000001",
      contentVariables: { "1": "Ada", "2": "1042", "3": "2024-03-02" },
      dateCreated: "2024-03-01T09:20:00Z",
      afterSid: fakeSid("IM", "order-1042/ack"),
      afterIndex: 5,
      conversationState: "active",
    });

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
    });
  });

  it("makes each message depend on the one before it, and the first only on its conversation", async () => {
    await useMocks("staging", { stackFile: join(ROOT, "examples", "staging-seed.yaml") });
    await settle(runStackProgram());
    const urn = (type: string, name: string) => registered(type, name).urn;
    const messageDependencies = (name: string) =>
      registered(MESSAGE, name).dependencies.filter((d) => d.includes("Message"));

    const thread = ["opened", "ack", "tracking", "photo"].map((key) => `order-1042/${key}`);
    expect(messageDependencies(thread[0])).toEqual([]);
    expect(registered(MESSAGE, thread[0]).dependencies).toContain(urn(CONVERSATION, "order-1042"));
    for (let n = 1; n < thread.length; n++) {
      expect(messageDependencies(thread[n])).toEqual([urn(MESSAGE, thread[n - 1])]);
      expect(registered(MESSAGE, thread[n]).inputs.afterIndex).toBe((n - 1) * 5);
      expect(registered(MESSAGE, thread[n]).inputs.afterSid).toBe(fakeSid("IM", thread[n - 1]));
    }
    expect(registered(MESSAGE, thread[0]).inputs).not.toHaveProperty("afterIndex");
    expect(registered(MESSAGE, thread[0]).inputs).not.toHaveProperty("afterSid");
    expect(messageDependencies("onboarding-email/1")).toEqual([urn(MESSAGE, "onboarding-email/welcome")]);
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

  it("gives messages the protect and retainOnDelete of their conversation", async () => {
    await runProgramOf("guarded", "guards: { protect: true }\nconversations:\n  kept:\n    retainOnDelete: true\n    messages: [{ body: Hi }]\n");
    expect(registered(MESSAGE, "kept/0")).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("maps renamedFrom to an alias of the conversation and of each of its messages, by their previous names", async () => {
    await runProgramOf(
      "renamed",
      "conversations:\n  helpdesk:\n    renamedFrom: support\n    messages: [{ key: hello, body: Hi }, { body: Second }]\n  lobby: {}\n",
    );
    expect(registered(CONVERSATION, "helpdesk").aliases).toEqual(["support"]);
    expect(registered(MESSAGE, "helpdesk/hello").aliases).toEqual(["support/hello"]);
    expect(registered(MESSAGE, "helpdesk/1").aliases).toEqual(["support/1"]);
    expect(registered(CONVERSATION, "lobby").aliases).toEqual([]);
    expect(registered(CONVERSATION, "helpdesk").inputs).not.toHaveProperty("renamedFrom");
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
