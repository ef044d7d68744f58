import { httpAnswer, testTransport } from "../../support/transport";
import { describe, expect, it } from "vitest";
import type { Transport } from "../../../provider/client/http";
import { resolveSettings } from "../../../provider/config";
import { Claims } from "../../../provider/client/claims";
import { conversationProvider } from "../../../provider/resources/conversation-provider";

const CH = "CH" + "a".repeat(32);
const ACCOUNT = "AC" + "1".repeat(32);
const BASE = "https://conversations.example.test";

describe("claims: held by another resource", () => {
  it.each<[string, Array<[string, string]>, string, boolean]>([
    ["nobody holds it", [], "support", false],
    ["only the resource itself (a replace, or its own delete)", [[CH, "support"]], "support", false],
    ["another resource adopted it", [[CH, "helpdesk"]], "support", true],
    ["both, after a rename adopted in an earlier run", [[CH, "support"], [CH, "helpdesk"]], "support", true],
    ["another SID only", [["CH" + "b".repeat(32), "helpdesk"]], "support", false],
  ])("%s", (_name, held, deleting, expected) => {
    const claims = new Claims();
    for (const [sid, name] of held) claims.claim(sid, name);
    expect(claims.heldByAnother(CH, deleting)).toBe(expected);
  });
});

describe("a conversation held by another declared resource, in a later run", () => {
  // What the engine does in the run after a rename was adopted by the new name (e.g. with
  // --target, or a run that failed before its deletes): it diffs the declared resource, which
  // holds the SID, then deletes the resource under the old name, which holds the same SID.
  const requests: string[] = [];
  // A new provider process each time: its claims start empty.
  const transport = (): Transport => testTransport({
    settings: resolveSettings(() => undefined, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: "token-1234", TWILIO_CONVERSATIONS_BASE_URL: BASE }),
    exchange: async ({ method, url }) => {
      requests.push(`${method} ${url.pathname}`);
      return httpAnswer(204);
    },
  });
  const outputs = (resourceName: string, adopted: boolean) =>
    ({ resourceName, sid: CH, accountSid: ACCOUNT, chatServiceSid: null, usesDefaultService: true, uniqueName: "desk", adopt: adopted ? "ifExists" : "never", adopted, webhooksEnabled: false, timers: null, declared: ["uniqueName"], url: `${BASE}/v1/Conversations/${CH}` }) as never;

  it("is left in Twilio by the delete of the old name", async () => {
    requests.length = 0;
    const run = transport();
    const provider = conversationProvider(() => run);
    await provider.diff!(CH, outputs("helpdesk", true), { resourceName: "helpdesk", uniqueName: "desk", adopt: "ifExists" });
    await provider.delete!(CH, outputs("support", false));
    expect(requests).toEqual([]);
  });

  it("is deleted when no other declared resource holds it", async () => {
    requests.length = 0;
    const run = transport();
    const provider = conversationProvider(() => run);
    await provider.delete!(CH, outputs("support", false));
    expect(requests).toEqual([`DELETE /v1/Conversations/${CH}`]);
  });
});
