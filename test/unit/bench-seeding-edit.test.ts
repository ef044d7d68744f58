import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { EDIT_MESSAGE_KEY, editedFriendlyName, planProblem, requestsOutside, withOneConversationEdited, writeRequests } from "../../bench/seeding-edit";
import { loadStackText } from "../../schemas/load";

// The shape the seeding benchmark writes for grouped seeding (seedStackYaml with seeding.groups).
const SEEDED = `seeding:
  groups: 2
defaults:
  webhooks: false
conversations:
  seed-0001:
    uniqueName: seed-0001
    friendlyName: Seed 1
    messages:
      - key: m1
        author: agent-0
        body: Seed message 1 of conversation 1.
      - key: m2
        author: agent-0
        body: Seed message 2 of conversation 1.
  seed-0002:
    uniqueName: seed-0002
    friendlyName: Seed 2
    messages:
      - key: m1
        author: agent-1
        body: Seed message 1 of conversation 2.
`;

type Conversations = Record<string, { friendlyName: string; messages: Array<{ key: string }> }>;

describe("the benchmark's edit of one conversation in the seeded stack file", () => {
  it("renames that conversation and appends one message to its thread, leaving the rest as it was", () => {
    const before = load(SEEDED) as { conversations: Conversations };
    const after = load(withOneConversationEdited(SEEDED, "seed-0001")) as { conversations: Conversations };
    expect(after.conversations["seed-0001"].friendlyName).toBe(editedFriendlyName("seed-0001"));
    expect(after.conversations["seed-0001"].messages.map((message) => message.key)).toEqual(["m1", "m2", EDIT_MESSAGE_KEY]);
    expect(after.conversations["seed-0001"].messages.slice(0, 2)).toEqual(before.conversations["seed-0001"].messages);
    const { conversations: _edited, ...restAfter } = after;
    const { conversations: _was, ...restBefore } = before;
    expect(restAfter).toEqual(restBefore);
    expect(after.conversations["seed-0002"]).toEqual(before.conversations["seed-0002"]);
  });

  it("is a stack file the project loads, grouped seeding and all", () => {
    const loaded = loadStackText(withOneConversationEdited(SEEDED, "seed-0002"), "edited.yaml");
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });

  it("refuses a conversation the stack does not declare", () => {
    expect(() => withOneConversationEdited(SEEDED, "seed-0003")).toThrow("the stack file declares no conversation seed-0003 to edit");
  });
});

describe("whether the plan lists the edited conversation alone", () => {
  const line = (kind: string, name: string, action: string) => ({ kind, name, action, changes: [], reasons: [] });
  const plan = (...resources: ReturnType<typeof line>[]) => JSON.stringify({ changes: resources.length > 0, summary: {}, resources });
  const UPDATE = line("conversation", "seed-0007", "update");
  const NEW_MESSAGE = line("message", `seed-0007/${EDIT_MESSAGE_KEY}`, "create");

  it.each<[string, string, string | null]>([
    ["the conversation's update and its new message", plan(UPDATE, NEW_MESSAGE), null],
    ["with an output that names the conversation", plan(UPDATE, NEW_MESSAGE, line("output", "messages.seed-0007.edited", "output")), null],
    [
      "another conversation too",
      plan(UPDATE, NEW_MESSAGE, line("conversation", "seed-0070", "update")),
      "it lists other resources than seed-0007: conversation seed-0070 (update)",
    ],
    [
      "a conversation whose name starts with the edited one's",
      plan(UPDATE, NEW_MESSAGE, line("message", "seed-00071/m1", "create")),
      "it lists other resources than seed-0007: message seed-00071/m1 (create)",
    ],
    [
      "no new message",
      plan(UPDATE),
      `it does not list the create of message seed-0007/${EDIT_MESSAGE_KEY} (it lists: conversation seed-0007 (update))`,
    ],
    [
      "nothing at all",
      plan(),
      `it does not list the update of conversation seed-0007 or the create of message seed-0007/${EDIT_MESSAGE_KEY} (it lists: nothing)`,
    ],
    ["a re-created conversation", plan(line("conversation", "seed-0007", "replace"), NEW_MESSAGE), expect.stringContaining("it does not list the update of conversation seed-0007 (") as unknown as string],
    ["text that is not JSON", "Previewing update", expect.stringMatching(/^its JSON could not be read/) as unknown as string],
  ])("%s", (_case, json, problem) => {
    expect(planProblem(json, "seed-0007")).toEqual(problem);
  });
});

describe("the writes of the up after the edit", () => {
  const SID = "CH0123456789abcdef0123456789abcdef";
  const OTHER = "CHfedcba9876543210fedcba9876543210";
  const requests = [
    { method: "GET", path: `/v1/Conversations/${OTHER}` },
    { method: "POST", path: `/v1/Conversations/${SID}` },
    { method: "POST", path: `/v1/Conversations/${SID}/Messages` },
    { method: "HEAD", path: `/v1/Conversations/${SID}` },
    { method: "DELETE", path: `/v1/Conversations/${OTHER}/Messages/IM0123456789abcdef0123456789abcdef` },
    { method: "POST", path: `/v1/Conversations/${SID}0` },
    { method: "POST", path: "/v1/Conversations" },
  ];

  it("are the requests but GET and HEAD", () => {
    expect(writeRequests(requests).map((request) => request.method)).toEqual(["POST", "POST", "DELETE", "POST", "POST"]);
  });

  it("outside the conversation are those whose path is not the conversation's or under it", () => {
    expect(requestsOutside(writeRequests(requests), SID)).toEqual([
      `DELETE /v1/Conversations/${OTHER}/Messages/IM0123456789abcdef0123456789abcdef`,
      `POST /v1/Conversations/${SID}0`,
      "POST /v1/Conversations",
    ]);
    expect(requestsOutside(requests.slice(1, 3), SID)).toEqual([]);
  });
});
