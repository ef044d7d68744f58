import { describe, expect, it } from "vitest";
import { memberSteps } from "../../provider/plan/group-steps";
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
});
