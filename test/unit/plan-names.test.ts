import { describe, expect, it } from "vitest";
import { planNames, type NamedStep } from "../../provider/plan/names";
import { planFromPreview, planFromRefresh, renderPlan, type PreviewJson, type PreviewStep } from "../../provider/plan/render";

const STACK = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
const COMPONENT = "twilio-conversations:index:ConversationsStack";
const component = (name: string) => `urn:pulumi:dev::proj::${COMPONENT}::${name}`;
const inComponent = (type: string, name: string) => `urn:pulumi:dev::proj::${COMPONENT}$pulumi-nodejs:dynamic/twilio-conversations:${type}::${name}`;
const outside = (type: string, name: string) => `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/twilio-conversations:${type}::${name}`;
const child = (urn: string, parent: string): NamedStep => ({ urn, newState: { parent } });

describe("a plan's names, in the stack file's words", () => {
  const rows: Array<{ program: string; steps: NamedStep[]; urn: string; shown: string }> = [
    {
      program: "one stack component: its child by the stack file's key",
      steps: [child(component("conversations"), STACK), child(inComponent("Conversation", "conversations/support"), component("conversations"))],
      urn: inComponent("Conversation", "conversations/support"),
      shown: "support",
    },
    {
      program: "a resource removed from the file names its component only in its old state",
      steps: [child(component("conversations"), STACK), { urn: inComponent("Conversation", "conversations/lobby"), oldState: { parent: component("conversations") } }],
      urn: inComponent("Conversation", "conversations/lobby"),
      shown: "lobby",
    },
    {
      program: "two stack components: the component's name tells them apart",
      steps: [
        child(component("conversations"), STACK),
        child(component("eu"), STACK),
        child(inComponent("Conversation", "conversations/support"), component("conversations")),
        child(inComponent("Conversation", "eu/support"), component("eu")),
      ],
      urn: inComponent("Conversation", "eu/support"),
      shown: "eu/support",
    },
    {
      program: "a hand-written conversation with the name of a stack file's key: the component's name tells them apart",
      steps: [
        child(component("conversations"), STACK),
        child(inComponent("Conversation", "conversations/handmade"), component("conversations")),
        child(outside("Conversation", "handmade"), STACK),
      ],
      urn: inComponent("Conversation", "conversations/handmade"),
      shown: "conversations/handmade",
    },
    {
      program: "a role and a conversation of one key are told apart by their kind",
      steps: [
        child(component("conversations"), STACK),
        child(inComponent("Conversation", "conversations/support"), component("conversations")),
        child(inComponent("Role", "conversations/support"), component("conversations")),
      ],
      urn: inComponent("Role", "conversations/support"),
      shown: "support",
    },
    {
      program: "a custom namePrefix is the program's own naming, shown as it is",
      steps: [child(component("eu"), STACK), child(inComponent("Conversation", "eu-support"), component("eu"))],
      urn: inComponent("Conversation", "eu-support"),
      shown: "eu-support",
    },
    {
      program: "a program without the component: the logical name",
      steps: [child(outside("Conversation", "support"), STACK)],
      urn: outside("Conversation", "support"),
      shown: "support",
    },
  ];
  it.each(rows)("$program", ({ steps, urn, shown }) => {
    expect(planNames(steps).of(urn)).toBe(shown);
  });
});

describe("plan and drift of a program with one ConversationsStack", () => {
  const state = (name: string) => ({
    parent: component("conversations"),
    inputs: { friendlyName: name, messages: { welcome: { author: "system", body: "Hi" } } },
    outputs: { friendlyName: name, messages: { welcome: { sid: "IM1", index: 0, declared: { author: "system", body: "Hi" }, dateCreated: null, dateUpdated: null } } },
  });
  const componentStep: PreviewStep = { op: "same", urn: component("conversations"), newState: { parent: STACK } };

  it("names a conversation, its messages and a rename's old name by the stack file's keys", () => {
    const edited: PreviewStep = {
      op: "update",
      urn: inComponent("Conversation", "conversations/support"),
      oldState: state("Support"),
      newState: { parent: component("conversations"), inputs: { friendlyName: "Support desk", messages: { welcome: { author: "system", body: "Hello" } } } },
    };
    const renamed: PreviewStep = {
      op: "same",
      urn: inComponent("Conversation", "conversations/claim-7731-water"),
      oldState: { ...state("Water"), urn: inComponent("Conversation", "conversations/claim-7731") },
      newState: { parent: component("conversations"), inputs: state("Water").inputs },
    };
    const preview: PreviewJson = { steps: [componentStep, edited, renamed] };
    expect(renderPlan(planFromPreview(preview), "text")).toBe(
      [
        "Plan: 2 to update, 1 to rename in the stack's state",
        "~ conversation claim-7731-water (renamed, recorded in state, no request to Twilio)",
        "    why: it was claim-7731 (renamedFrom): the stack's state records it under its new name",
        "~ conversation support (update)",
        '    friendlyName: "Support" → "Support desk"',
        "~ message support/welcome (update)",
        '    body: "Hi" → "Hello"',
      ].join("\n"),
    );
  });

  it("a drift report names them so too", () => {
    const drifted = { op: "update", urn: inComponent("Conversation", "conversations/support"), old: state("Support"), new: state("Renamed by hand") };
    const plan = planFromRefresh(
      { steps: [{ op: "refresh", urn: component("conversations"), oldState: { parent: STACK } }, { op: "refresh", urn: drifted.urn, oldState: state("Support") }] },
      [{ resOutputsEvent: { metadata: drifted } }],
    );
    expect(renderPlan(plan, "text")).toBe(['Drift (recorded at the last up → in Twilio now): 1 changed', "~ conversation support (changed)", '    friendlyName: "Support" → "Renamed by hand"'].join("\n"));
  });
});
