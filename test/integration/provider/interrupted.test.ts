// The run after an interrupted one (kill -9 between Twilio's answers and the engine's checkpoint):
// each create finds what its own interrupted create made, through the create journal.
import { describe, expect, it } from "vitest";
import { fileJournal } from "../../../provider/client/intents";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();

describe("after an interrupted run that made two identical conversations", () => {
  it("the twin whose answer was never recorded takes its own, not the one the other twin's intent names", async () => {
    const journal = fileJournal(process.env.TWILIO_CONVERSATIONS_INTENTS_DIR!);
    const sentAt = Date.now() - 5_000;
    const fields = { uniqueName: null, friendlyName: "Twin", state: null, timers: null, attributes: null, messagingServiceSid: null };
    // The interrupted run: both creates applied; B's answer was recorded, A's was not.
    const madeForB = (await env.outside("POST", "/v1/Conversations", { FriendlyName: "Twin" })).body.sid as string;
    const madeForA = (await env.outside("POST", "/v1/Conversations", { FriendlyName: "Twin" })).body.sid as string;
    const sent = { scope: { serviceSid: null }, fields };
    await journal.put("interrupted/twin-a", { sentAt, sid: null, sent });
    await journal.put("interrupted/twin-b", { sentAt, sid: madeForB, sent });

    // The engine creates them again, A first (identical creates run one at a time).
    const a = await createThrough(env.conversations, { resourceName: "twin-a", stack: "interrupted", friendlyName: "Twin" });
    const b = await createThrough(env.conversations, { resourceName: "twin-b", stack: "interrupted", friendlyName: "Twin" });

    expect([a.id, b.id]).toEqual([madeForA, madeForB]);
    expect(env.takeRequests().filter((request) => request.method === "POST")).toEqual([]);
  });
});
