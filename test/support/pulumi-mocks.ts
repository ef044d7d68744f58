// Pulumi's mocks, recording what a program registers: each resource's type, name, URN, parent,
// inputs and the options the engine receives.
import * as pulumi from "@pulumi/pulumi";
import { ownResourceName } from "../../provider/domain/groups";
import { membersInputsOf } from "../../provider/domain/member-records";
import { threadOrder, type DeclaredThread, type RecordedThread } from "../../provider/resources/thread-model";
import type { SidsByKey, StackOutputs } from "../../provider/program/stack";

export const PROJECT = "twilio-conversations";
export const CONVERSATION = "pulumi-nodejs:dynamic/twilio-conversations:Conversation";
export const MESSAGE = "pulumi-nodejs:dynamic/twilio-conversations:Message";
export const CONVERSATION_GROUP = "pulumi-nodejs:dynamic/twilio-conversations:ConversationGroup";

export interface Registration {
  type: string;
  name: string;
  urn: string;
  /** The parent's URN: the root stack's for a resource declared without a parent. */
  parent: string;
  /** What the program gave, without the serialized provider. */
  inputs: Record<string, unknown>;
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
  /** The names of the resource's aliases. */
  aliases: string[];
}

export function fakeSid(prefix: string, name: string): string {
  let hash = 0;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return `${prefix}${hash.toString(16).padStart(32, "0")}`;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getAliasesList(): Array<{ getSpec(): { getName(): string } | undefined }>;
}

/**
 * The thread a Conversation's provider would record for its `messages` input: in thread order,
 * each message an `IM…` SID named after `<resource name>/<key>` and an index 5 apart.
 */
function mockThread(resourceName: string, messages: unknown): RecordedThread | undefined {
  if (typeof messages !== "object" || messages === null) return undefined;
  const declared = messages as DeclaredThread;
  return Object.fromEntries(
    threadOrder(declared).map((key, position) => [
      key,
      { sid: fakeSid("IM", `${resourceName}/${key}`), index: position * 5, declared: declared[key], dateCreated: null, dateUpdated: null },
    ]),
  );
}

/**
 * Installs the mocks for stack `stack` with this project config (`groupsInPreview`: groups answered
 * as a preview answers them), and returns the list each
 * registration is appended to. A Conversation gets a `CH…` SID and, for its seed thread, the
 * messages its provider would record (see `mockThread`); a Message an `IM…` SID and an index 5
 * apart from the one before it in its conversation. Mocks see names and inputs but not
 * resource options or dependencies, so the monitor's registerResource is wrapped to read them from
 * the request the SDK sends the engine.
 */
export async function useMocks(stack: string, config: Record<string, string> = {}, options: { groupsInPreview?: boolean } = {}): Promise<Registration[]> {
  // The previous session's last calls (a component registers its outputs a few turns after its
  // constructor, even one that threw) must reach the mocks they were made under, not these.
  await pulumi.runtime.disconnect();
  const registrations: Registration[] = [];
  const inputsByName = new Map<string, Record<string, unknown>>();
  const messagesPerConversation = new Map<string, number>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { __provider: _serializedProvider, ...inputs } = args.inputs;
        inputsByName.set(`${args.type}::${args.name}`, inputs);
        if (args.type === MESSAGE) {
          const conversationSid = String(inputs.conversationSid);
          const index = (messagesPerConversation.get(conversationSid) ?? 0) * 5;
          messagesPerConversation.set(conversationSid, index / 5 + 1);
          return { id: fakeSid("IM", args.name), state: { ...inputs, sid: fakeSid("IM", args.name), index } };
        }
        // In a preview, the engine answers a group being created or updated with its inputs: members without SIDs.
        if (args.type === CONVERSATION_GROUP) return { id: args.name, state: options.groupsInPreview ? inputs : { ...inputs, members: mockMembers(args.name, inputs.members) } };
        const messages = mockThread(args.name, inputs.messages);
        const participants = mockChildren(args.name, inputs.participants);
        return {
          id: fakeSid("CH", args.name),
          state: { ...inputs, sid: fakeSid("CH", args.name), ...(messages ? { messages } : {}), ...(participants ? { participants } : {}) },
        };
      },
      call: () => ({}),
    },
    PROJECT,
    stack,
  );
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])));
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: (error: unknown, response: { getUrn(): string }) => void): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      registrations.push({
        type: request.getType(),
        name: request.getName(),
        urn: response?.getUrn(),
        parent: request.getParent(),
        inputs: inputsByName.get(`${request.getType()}::${request.getName()}`) ?? {},
        dependencies: request.getDependenciesList(),
        protect: request.getProtect() === true,
        retainOnDelete: request.getRetainondelete() === true,
        aliases: request.getAliasesList().map((alias) => alias.getSpec()?.getName() ?? "(not a name)"),
      });
      callback(error, response);
    });
  return registrations;
}

export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** A group's members as its provider would record them: each with the SIDs its own Conversation's mock would have. */
function mockMembers(groupName: string, members: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(membersInputsOf(members)).map(([logicalName, inputs]) => {
      const name = ownResourceName(groupName, logicalName);
      const messages = mockThread(name, inputs.messages);
      const participants = mockChildren(name, inputs.participants);
      const outs = { ...inputs, sid: fakeSid("CH", name), ...(messages ? { messages } : {}), ...(participants ? { participants } : {}) };
      return [logicalName, JSON.stringify({ id: fakeSid("CH", name), outs })];
    }),
  );
}

/** The participants a Conversation's provider would record for its `participants` input: each with an `MB…` SID. */
function mockChildren(resourceName: string, children: unknown): Record<string, { sid: string; declared: unknown; held: object }> | undefined {
  if (typeof children !== "object" || children === null) return undefined;
  return Object.fromEntries(Object.entries(children).map(([key, declared]) => [key, { sid: fakeSid("MB", `${resourceName}/${key}`), declared, held: {} }]));
}

/** Stack outputs with their values. */
export async function settle(outputs: StackOutputs) {
  const conversations: Record<string, string> = {};
  for (const [name, sid] of Object.entries(outputs.conversations)) conversations[name] = await valueOf(sid);
  const byKeys = async (of: Record<string, SidsByKey>) => {
    const values: Record<string, Record<string, string>> = {};
    for (const [name, byKey] of Object.entries(of)) {
      if (pulumi.Output.isInstance(byKey)) {
        values[name] = await valueOf(byKey);
        continue;
      }
      values[name] = {};
      for (const [key, sid] of Object.entries(byKey)) values[name][key] = await valueOf(sid);
    }
    return values;
  };
  return { conversations, messages: await byKeys(outputs.messages), participants: await byKeys(outputs.participants) };
}
