// Twilio's timers fire on the emulator's clock, which tests move forward instead of waiting.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { optionsFromFlags, parseFlags } from "../../../emulator/cli";
import { createClock } from "../../../emulator/clock";
import { expectTwilioError, raw, responseProblems, spec, twilioClient, withEmulator } from "./support";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

async function moveClock(body: unknown, on: RunningEmulator = emulator): Promise<{ status: number; body: any }> {
  const response = await fetch(`${on.url}/__emulator/clock`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function advance(duration: string) {
  const moved = await moveClock({ advance: duration });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  return moved.body;
}

const minutes = (n: number) => n * 60_000;

describe("the clock", () => {
  it("reads, moves forward by a duration, in ms or to an instant, and never backwards", async () => {
    const read = (await (await fetch(`${emulator.url}/__emulator/clock`)).json()) as { now: string; offsetMs: number };
    expect(Math.abs(Date.parse(read.now) - Date.now())).toBeLessThan(5_000);
    expect(read.offsetMs).toBe(0);
    expect((await moveClock(undefined)).body.offsetMs).toBe(0);

    expect((await advance("PT2H")).offsetMs).toBe(2 * 3600_000);
    expect((await moveClock({ advance: 1_000 })).body.offsetMs).toBe(2 * 3600_000 + 1_000);
    const target = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const moved = await moveClock({ to: target });
    expect(Math.abs(Date.parse(moved.body.now) - Date.parse(target))).toBeLessThan(5_000);

    for (const bad of [{ advance: "-PT1H" }, { advance: -1 }, { advance: "P1M" }, { to: "2001-01-01T00:00:00Z" }, { to: "soon" }, [1]]) {
      const refused = await moveClock(bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.message).toMatch(/forward|ISO 8601|JSON object/);
    }
    expect(Date.parse((await moveClock(undefined)).body.now)).toBeGreaterThanOrEqual(Date.parse(moved.body.now));
  });

  it("stamps what the API writes with the clock's time", async () => {
    await advance("P30D");
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", {})).body;
    expect(Date.parse(conversation.date_created) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });

  it("starts at the instant given by --clock-start (or clockStart)", async () => {
    expect(optionsFromFlags(parseFlags(["--clock-start", "2031-05-01T08:00:00Z"]), {}).clockStart).toBe(Date.parse("2031-05-01T08:00:00Z"));
    expect(() => optionsFromFlags(parseFlags(["--clock-start=tomorrow"]), {})).toThrow(/--clock-start must be an ISO 8601 date-time/);
    const started = await withEmulator({ clockStart: "2031-05-01T08:00:00Z" });
    try {
      const conversation = (await raw(started, "POST", "/v1/Conversations", {})).body;
      expect(Date.parse(conversation.date_created) - Date.parse("2031-05-01T08:00:00Z")).toBeLessThan(5_000);
    } finally {
      await started.close();
    }
  });
});

describe("timers fire", () => {
  it("the inactive timer makes an active conversation inactive, then the closed timer closes it (twilio client)", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const created = await v1.conversations.create({ uniqueName: "desk", state: "active", "timers.inactive": "PT10M", "timers.closed": "PT1H" });
    const { date_inactive: dateInactive, date_closed: dateClosed } = created.timers as Record<string, string>;
    expect(Date.parse(dateInactive) - created.dateCreated.getTime()).toBe(minutes(10));
    expect(Date.parse(dateClosed) - created.dateCreated.getTime()).toBe(minutes(60));

    await advance("PT9M");
    expect((await v1.conversations("desk").fetch()).state).toBe("active");
    const moved = await advance("PT1M");
    expect(moved.changed).toEqual([{ sid: created.sid, state: "inactive" }]);
    const inactive = await v1.conversations("desk").fetch();
    expect(inactive.state).toBe("inactive");
    expect(inactive.timers).toEqual({ date_inactive: dateInactive, date_closed: dateClosed });

    await advance("PT50M");
    const closed = await v1.conversations("desk").fetch();
    expect(closed.state).toBe("closed");
    expect(closed.timers).toEqual({ date_inactive: dateInactive, date_closed: dateClosed });
    expect((await v1.conversations.list({ state: "closed" })).map((c) => c.sid)).toEqual([created.sid]);

    await expect(v1.conversations("desk").update({ friendlyName: "again" })).rejects.toMatchObject({ code: 50377 });
    await expect(v1.conversations("desk").messages.create({ body: "hello?" })).rejects.toMatchObject({ code: 50377 });
    expect(await v1.conversations("desk").remove()).toBe(true);
    if (spec) {
      for (const exchange of exchanges) {
        expect(responseProblems(exchange.method, new URL(exchange.url).pathname, exchange.status, exchange.body)).toEqual([]);
      }
    }
  });

  it("a clock jump past both timers fires them in order and closes the conversation", async () => {
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "PT1H", "Timers.Closed": "P1D" })).body;
    const moved = await advance("P2D");
    expect(moved.changed).toEqual([{ sid: conversation.sid, state: "closed" }]);
    const closed = (await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body;
    expect(closed.state).toBe("closed");
    expect(closed.date_updated).toBe(conversation.timers.date_closed);
  });

  it("a new message makes an inactive conversation active and starts both timers again from the message", async () => {
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "PT10M", "Timers.Closed": "PT30M" })).body;
    await advance("PT20M");
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("inactive");

    const message = (await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, { Body: "still there?", DateCreated: "2020-01-01T00:00:00Z" })).body;
    expect(message.date_created).toBe("2020-01-01T00:00:00Z");
    const awake = (await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body;
    expect(awake.state).toBe("active");
    // Counted from when the message arrived, not from its backdated date_created.
    const arrived = Date.parse((await moveClock(undefined)).body.now);
    expect(Math.abs(Date.parse(awake.timers.date_inactive) - minutes(10) - arrived)).toBeLessThan(5_000);
    expect(Date.parse(awake.timers.date_closed) - Date.parse(awake.timers.date_inactive)).toBe(minutes(20));

    // The first closed timer (30 minutes after creation) has passed: it no longer applies.
    await advance("PT15M");
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("inactive");
    await advance("PT15M");
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("closed");
  });

  it("each timer fires once: moved back to active through the API, the conversation stays active", async () => {
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "PT1M" })).body;
    await advance("PT2M");
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("inactive");
    expect((await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}`, { State: "active" })).body.state).toBe("active");
    await advance("PT1H");
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("active");
  });

  it("setting timers again starts them from the update; PT0S or an empty value switches one off", async () => {
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "PT10M", "Timers.Closed": "PT20M" })).body;
    await advance("PT9M");
    const reset = (await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}`, { "Timers.Inactive": "PT10M", "Timers.Closed": "PT0S" })).body;
    expect(Object.keys(reset.timers)).toEqual(["date_inactive"]);
    await advance("PT9M");
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("active");
    await advance("P1D");
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("inactive");
  });

  it("the inactive timer leaves an inactive conversation as it is; the closed timer closes it", async () => {
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { State: "inactive", "Timers.Inactive": "PT1M", "Timers.Closed": "PT10M" })).body;
    expect((await advance("PT5M")).changed).toEqual([]);
    expect((await advance("PT5M")).changed).toEqual([{ sid: conversation.sid, state: "closed" }]);
  });

  it("the state dump and lists see the timers' moves without any other request", async () => {
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "PT1M" })).body;
    emulator.clock.advance(minutes(2));
    expect(emulator.state().conversations.map((c: any) => [c.sid, c.state])).toEqual([[conversation.sid, "inactive"]]);
  });
});

// Twilio documents no longest timer; the emulator answers dates as ISO 8601 with a four-digit
// year, so no timer and no clock move may reach past 9999-12-31T23:59:59Z.
describe("durations past the latest date the emulator answers (9999-12-31T23:59:59Z)", () => {
  const LATEST = "9999-12-31T23:59:59Z";
  const HUGE = ["P99999999999999W", "P" + "9".repeat(400) + "W", "PT" + "9".repeat(20) + "S"];
  /** Each timer field and Twilio's code for a badly formatted value of it. */
  const TIMER_FIELDS: Array<[string, number]> = [
    ["Timers.Closed", 50380],
    ["Timers.Inactive", 50379],
  ];

  /** Lists and the state dump still answer 200 and every date in them is a four-digit-year ISO date. */
  async function stillAnswering(on: RunningEmulator): Promise<void> {
    const list = await raw(on, "GET", "/v1/Conversations");
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const state = await fetch(`${on.url}/__emulator/state`);
    const text = await state.text();
    expect(state.status, text).toBe(200);
    for (const date of text.match(/"date_[a-z]+":"[^"]*"/g) ?? []) expect(date).toMatch(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"$/);
  }

  it.each(TIMER_FIELDS)("refuses %s=P99999999999999W on create with %i (bad timer format) and keeps answering lists and the state", async (field, code) => {
    for (const value of HUGE) {
      const refused = await raw(emulator, "POST", "/v1/Conversations", { State: "active", [field]: value });
      expectTwilioError(refused, 400, code);
      expect(refused.body.message, value).toMatch(/after 9999-12-31T23:59:59Z/);
    }
    expect(emulator.state().conversations).toEqual([]);
    await stillAnswering(emulator);
  });

  it.each(TIMER_FIELDS)("refuses %s=P99999999999999W on update with %i and leaves the conversation's timers as they were", async (field, code) => {
    const created = (await raw(emulator, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "PT10M", "Timers.Closed": "PT1H" })).body;
    for (const value of HUGE) {
      expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/${created.sid}`, { [field]: value }), 400, code);
    }
    const fetched = (await raw(emulator, "GET", `/v1/Conversations/${created.sid}`)).body;
    expect(fetched.timers).toEqual(created.timers);
    expect(fetched.date_updated).toBe(created.date_updated);
    await stillAnswering(emulator);
  });

  it("refuses a clock advance of P99999999999999W with a Twilio-style 400 and leaves the clock unchanged", async () => {
    const own = await withEmulator();
    try {
      const before = (await moveClock(undefined, own)).body.offsetMs;
      for (const bad of [...HUGE.map((advance) => ({ advance })), { advance: 1e20 }, { to: 1e20 }, { to: "9999-12-31T23:30:00-01:00" }]) {
        const refused = await moveClock(bad, own);
        expectTwilioError(refused, 400, 400);
        expect(refused.body.message, JSON.stringify(bad)).toMatch(/9999-12-31T23:59:59Z|ISO 8601/);
        expect((await moveClock(undefined, own)).body.offsetMs, JSON.stringify(bad)).toBe(before);
      }
      expect(() => own.clock.advance("P99999999999999W")).toThrow(RangeError);
      expect(own.clock.offsetMs()).toBe(before);
      const created = await raw(own, "POST", "/v1/Conversations", { State: "active", "Timers.Closed": "PT10M" });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await stillAnswering(own);
    } finally {
      await own.close();
    }
  });

  it("refuses a clock start past the latest date, and a clock that reaches it stops there", async () => {
    expect(() => createClock(1e20)).toThrow(/9999-12-31T23:59:59Z/);
    await expect(withEmulator({ clockStart: 1e20 })).rejects.toThrow(/9999-12-31T23:59:59Z/);
    let real = Date.parse("2030-01-01T00:00:00Z");
    const clock = createClock("9999-12-31T23:59:00Z", () => real);
    clock.advanceTo(LATEST);
    real += 86_400_000;
    expect(new Date(clock.now()).toISOString()).toBe("9999-12-31T23:59:59.000Z");
    expect(clock.advance(0)).toBe(Date.parse(LATEST));
    expect(() => clock.advance(1)).toThrow(/9999-12-31T23:59:59Z/);
  });

  it("near the latest date, refuses a timer or clock move that would pass it and accepts those that do not", async () => {
    const own = await withEmulator({ clockStart: "9999-12-31T00:00:00Z" });
    try {
      const fits = await raw(own, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "PT1M", "Timers.Closed": "PT10M" });
      expect(fits.status, JSON.stringify(fits.body)).toBe(201);
      expect(fits.body.timers.date_closed).toMatch(/^9999-12-31T00:10:/);
      expectTwilioError(await raw(own, "POST", "/v1/Conversations", { State: "active", "Timers.Closed": "P1D" }), 400, 50380);
      expectTwilioError(await raw(own, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": "P1D" }), 400, 50379);
      expectTwilioError(await raw(own, "POST", `/v1/Conversations/${fits.body.sid}`, { "Timers.Closed": "P1D" }), 400, 50380);
      expect(await raw(own, "POST", "/v1/Conversations", { DateCreated: "9999-12-31T23:30:00-01:00" })).toMatchObject({ status: 400 });

      const before = own.clock.offsetMs();
      expectTwilioError(await moveClock({ advance: "P1D" }, own), 400, 400);
      expect(own.clock.offsetMs()).toBe(before);
      expect((await moveClock({ advance: "PT23H" }, own)).status).toBe(200);
      expect((await moveClock({ to: LATEST }, own)).status).toBe(200);
      await stillAnswering(own);
    } finally {
      await own.close();
    }
  });

  it("a new message near the latest date restarts a timer at the latest date, not past it", async () => {
    const own = await withEmulator({ clockStart: "9999-12-30T00:00:00Z" });
    try {
      const created = (await raw(own, "POST", "/v1/Conversations", { State: "active", "Timers.Closed": "P1DT12H" })).body;
      expect(created.timers.date_closed).toMatch(/^9999-12-31T12:00:/);
      expect((await moveClock({ advance: "PT13H" }, own)).status).toBe(200);
      expect((await raw(own, "POST", `/v1/Conversations/${created.sid}/Messages`, { Body: "late" })).status).toBe(201);
      const fetched = (await raw(own, "GET", `/v1/Conversations/${created.sid}`)).body;
      expect(fetched.timers.date_closed).toBe(LATEST);
      await stillAnswering(own);
      expect((await moveClock({ to: LATEST }, own)).body.changed).toEqual([{ sid: created.sid, state: "closed" }]);
    } finally {
      await own.close();
    }
  });
});
