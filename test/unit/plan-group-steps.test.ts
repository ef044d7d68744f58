import { describe, expect, it } from "vitest";
import { compactMembers, recordOf } from "../../provider/domain/member-records";
import { joinMoves, memberSteps } from "../../provider/plan/group-steps";
import { planFromPreview, type PreviewStep } from "../../provider/plan/render";

const GROUP = "urn:pulumi:dev::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:ConversationGroup::group-3";
const CONVERSATION = "urn:pulumi:dev::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:Conversation::";
const CH = (n: number) => `CH${String(n).padStart(32, "0")}`;

const member = (name: string, friendlyName = name) => ({ resourceName: name, stack: "dev", friendlyName });
const recorded = (name: string, friendlyName = name, n = 1) => ({ id: CH(n), outs: { ...member(name, friendlyName), sid: CH(n), messages: {} } });

describe("a group's preview step, as its members' steps", () => {
  it.each<[string, PreviewStep, Array<[string, string]>]>([
    ["a conversation's step is itself", { op: "update", urn: `${CONVERSATION}lobby` }, [["update", `${CONVERSATION}lobby`]]],
    ["a group's create creates every member", { op: "create", urn: GROUP, newState: { inputs: { members: { b: member("b"), a: member("a") } } } }, [["create", `${CONVERSATION}a`], ["create", `${CONVERSATION}b`]]],
    [
      "a group's update: the added, removed and edited members, not the unchanged one",
      {
        op: "update",
        urn: GROUP,
        oldState: {
          inputs: { members: { kept: member("kept"), edited: member("edited"), removed: member("removed") } },
          outputs: { members: { kept: recorded("kept"), edited: recorded("edited", "edited", 2), removed: recorded("removed", "removed", 3) } },
        },
        newState: { inputs: { members: { kept: member("kept"), edited: member("edited", "Edited"), added: member("added") } } },
      },
      [["create", `${CONVERSATION}added`], ["update", `${CONVERSATION}edited`], ["delete", `${CONVERSATION}removed`]],
    ],
    [
      "a group's delete deletes every member",
      { op: "delete", urn: GROUP, oldState: { inputs: { members: { a: member("a") } }, outputs: { members: { a: recorded("a") } } } },
      [["delete", `${CONVERSATION}a`]],
    ],
    ["a group with no change shows nothing", { op: "same", urn: GROUP, oldState: { inputs: { members: { a: member("a") } }, outputs: { members: { a: recorded("a") } } }, newState: { inputs: { members: { a: member("a") } } } }, []],
  ])("%s", (_name, step, expected) => {
    expect(memberSteps(step).map((each) => [each.op, each.urn])).toEqual(expected);
  });

  it("lets the plan name each conversation of a group, its changed property shown", () => {
    const plan = planFromPreview({
      steps: [
        {
          op: "update",
          urn: GROUP,
          oldState: { inputs: { members: { edited: member("edited") } }, outputs: { members: { edited: recorded("edited") } } },
          newState: { inputs: { members: { edited: member("edited", "Edited"), added: member("added") } } },
        },
      ],
    });
    expect(plan.resources.map((resource) => [resource.kind, resource.name, resource.action, resource.changes.map((change) => `${change.property}: ${change.old ?? ""} → ${change.new ?? ""}`)])).toEqual([
      ["conversation", "added", "create", ['friendlyName:  → "added"']],
      ["conversation", "edited", "update", ['friendlyName: "edited" → "Edited"']],
    ]);
  });

  it("reads members' inputs and records kept as JSON text as it reads them kept as objects", () => {
    const text = (byName: Record<string, unknown>) => Object.fromEntries(Object.entries(byName).map(([name, value]) => [name, JSON.stringify(value)]));
    const step = (asText: boolean) => ({
      op: "update",
      urn: GROUP,
      oldState: {
        inputs: { members: (asText ? text : (x: Record<string, unknown>) => x)({ kept: member("kept"), edited: member("edited") }) },
        outputs: { members: (asText ? text : (x: Record<string, unknown>) => x)({ kept: recorded("kept"), edited: recorded("edited", "edited", 2) }) },
      },
      newState: { inputs: { members: (asText ? text : (x: Record<string, unknown>) => x)({ kept: member("kept"), edited: member("edited", "Edited"), added: member("added") }) } },
    });
    const summary = (plan: ReturnType<typeof planFromPreview>) => plan.resources.map((resource) => [resource.name, resource.action, ...resource.changes.map((change) => `${change.property}: ${change.old ?? ""} → ${change.new ?? ""}`)]);
    const fromText = summary(planFromPreview({ steps: [step(true)] }));
    expect(fromText).toEqual([
      ["added", "create", 'friendlyName:  → "added"'],
      ["edited", "update", 'friendlyName: "edited" → "Edited"'],
    ]);
    expect(fromText).toEqual(summary(planFromPreview({ steps: [step(false)] })));
  });

  it("reads each member's record in full from a group's compact outputs (what members share held once)", () => {
    const members = { edited: recorded("edited", "Same", 1), other: recorded("other", "Same", 2) };
    const { members: compact, shared } = compactMembers(members);
    expect(recordOf(compact.edited).outs).not.toHaveProperty("friendlyName");
    const [step] = memberSteps({
      op: "update",
      urn: GROUP,
      oldState: { inputs: { members: { edited: member("edited", "Same"), other: member("other", "Same") } }, outputs: { members: compact, shared } },
      newState: { inputs: { members: { edited: member("edited", "Edited"), other: member("other", "Same") } } },
    });
    expect(step.oldState?.outputs).toEqual(members.edited.outs);
  });

  const OTHER_GROUP = GROUP.replace(/group-3$/, "group-1");
  const withUnique = (name: string, uniqueName: string) => ({ ...member(name, "Desk"), uniqueName });
  const recordedUnique = (name: string, uniqueName: string, n = 1) => ({ id: CH(n), outs: { ...withUnique(name, uniqueName), sid: CH(n), messages: {} } });
  const summary = (plan: ReturnType<typeof planFromPreview>) => plan.resources.map((resource) => [resource.kind, resource.name, resource.action, ...resource.reasons]);

  it("plans a rename within a group as a rename, not a create and a delete", () => {
    const step: PreviewStep = {
      op: "update",
      urn: GROUP,
      oldState: { inputs: { members: { support: member("group-3/support", "Desk") } }, outputs: { members: { support: recorded("group-3/support", "Desk") } } },
      newState: { inputs: { members: { helpdesk: member("group-3/helpdesk", "Desk") }, renamedFrom: { helpdesk: "support" } } },
    };
    expect(memberSteps(step).map((each) => [each.op, each.urn, each.oldState?.urn])).toEqual([["same", `${CONVERSATION}helpdesk`, `${CONVERSATION}support`]]);
    expect(summary(planFromPreview({ steps: [step] }))).toEqual([["conversation", "helpdesk", "rename", "it was support (renamedFrom): the stack's state records it under its new name"]]);
  });

  it("plans a rename across groups as a rename: the new group's take-over and the old group's give-away are one step", () => {
    const plan = planFromPreview({
      steps: [
        {
          op: "update",
          urn: OTHER_GROUP,
          oldState: { inputs: { members: {} }, outputs: { members: {} } },
          newState: { inputs: { members: { helpdesk: withUnique("group-1/helpdesk", "desk") }, renamedFrom: { helpdesk: "support" } } },
        },
        {
          op: "update",
          urn: GROUP,
          oldState: { inputs: { members: { support: withUnique("group-3/support", "desk"), kept: member("group-3/kept") } }, outputs: { members: { support: recordedUnique("group-3/support", "desk"), kept: recorded("group-3/kept", "group-3/kept", 2) } } },
          newState: { inputs: { members: { kept: member("group-3/kept") }, renamedAway: { support: { to: "helpdesk", uniqueName: "desk" } } } },
        },
      ],
    });
    expect(summary(plan)).toEqual([["conversation", "helpdesk", "rename", "it was support (renamedFrom): the stack's state records it under its new name"]]);
  });

  it("plans a conversation moving between groups with its unique name as no change, and one without as made anew", () => {
    const moved = (uniqueName: string | undefined, friendlyName = "Lobby") =>
      planFromPreview({
        steps: [
          { op: "create", urn: OTHER_GROUP.replace("group-1", "group-1-of-7"), newState: { inputs: { members: { lobby: { ...member("group-1-of-7/lobby", friendlyName), ...(uniqueName ? { uniqueName } : {}) } } } } },
          {
            op: "delete",
            urn: GROUP.replace("group-3", "group-3-of-4"),
            oldState: {
              inputs: { members: { lobby: { ...member("group-3-of-4/lobby", "Lobby"), ...(uniqueName ? { uniqueName } : {}) } } },
              outputs: { members: { lobby: { id: CH(1), outs: { ...member("group-3-of-4/lobby", "Lobby"), uniqueName: uniqueName ?? null, sid: CH(1), messages: {} } } } },
            },
          },
        ],
      });
    expect(summary(moved("seed-lobby"))).toEqual([]);
    // Changed as it moves: the take-over by its uniqueName refuses it, and the plan says so.
    const [changed] = summary(moved("seed-lobby", "Front lobby"));
    expect(changed.slice(0, 3)).toEqual(["conversation", "lobby", "update"]);
    expect(changed[3]).toMatch(/takes it over by its uniqueName only as Twilio holds it: up refuses this change \(409\)/);
    const [anew] = summary(moved(undefined));
    expect(anew.slice(0, 3)).toEqual(["conversation", "lobby", "replace"]);
    expect(anew[3]).toMatch(/has no uniqueName to be taken over by: it is made anew/);
  });

  it("plans a switch into groups of a conversation with a uniqueName as no change: its own resource's provider is no declaration", () => {
    const own = { ...member("lobby", "Lobby"), uniqueName: "seed-lobby" };
    const plan = planFromPreview({
      steps: [
        { op: "create", urn: GROUP, newState: { inputs: { members: { lobby: { ...own, resourceName: "group-3/lobby" } } } } },
        { op: "delete", urn: `${CONVERSATION}lobby`, oldState: { inputs: { ...own, __provider: "exports.handler = ..." }, outputs: { ...own, sid: CH(1), messages: {} } } },
      ],
    });
    expect(summary(plan)).toEqual([]);
  });

  it("plans a rename whose conversation has no uniqueName and changes group (with seeding.groups) as made anew", () => {
    const plan = planFromPreview({
      steps: [
        { op: "create", urn: OTHER_GROUP.replace("group-1", "group-1-of-7"), newState: { inputs: { members: { hall: member("group-1-of-7/hall", "Desk") }, renamedFrom: { hall: "support" } } } },
        {
          op: "delete",
          urn: GROUP.replace("group-3", "group-3-of-4"),
          oldState: { inputs: { members: { support: member("group-3-of-4/support", "Desk") } }, outputs: { members: { support: { id: CH(1), outs: { ...member("group-3-of-4/support", "Desk"), uniqueName: null, sid: CH(1), messages: {} } } } } },
        },
      ],
    });
    const [anew] = summary(plan);
    expect(anew.slice(0, 3)).toEqual(["conversation", "hall", "replace"]);
    expect(anew[3]).toMatch(/has no uniqueName to be taken over by/);
  });

  it("joins only a create and a delete of the same conversation", () => {
    const create: PreviewStep = { op: "create", urn: `${CONVERSATION}a`, newState: { inputs: member("a") } };
    const remove: PreviewStep = { op: "delete", urn: `${CONVERSATION}b`, oldState: { inputs: member("b"), outputs: { uniqueName: "b" } } };
    expect(joinMoves([create, remove])).toEqual([create, remove]);
  });
});
