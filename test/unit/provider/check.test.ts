import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { checkConversation, checkMessage } from "../../../provider/resources/check";

const IS = "IS" + "a".repeat(32);
const CH = "CH" + "b".repeat(32);
const ME = "ME" + "d".repeat(32);
const MG = "MG" + "e".repeat(32);
const HX = "HX" + "f".repeat(32);

const conversation = (news: Record<string, unknown>, olds: Record<string, unknown> = {}) => checkConversation(olds, news);
const message = (news: Record<string, unknown>) => checkMessage({ conversationSid: CH, body: "hi", ...news });

describe("checkConversation", () => {
  it("accepts a full, valid conversation", () => {
    expect(
      conversation({
        chatServiceSid: IS,
        uniqueName: "support room 1",
        friendlyName: "x".repeat(256),
        state: "inactive",
        timers: { inactive: "PT1M", closed: "PT10M" },
        attributes: { team: "a" },
        messagingServiceSid: MG,
        adopt: "ifExists",
      }),
    ).toEqual([]);
  });

  it("accepts nothing declared", () => {
    expect(conversation({})).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ["unknown service", { chatServiceSid: UNKNOWN }],
    ["unknown unique name with adopt", { uniqueName: UNKNOWN, adopt: "require" }],
    ["unknown attributes value", { attributes: { team: UNKNOWN } }],
    ["unknown timers", { timers: UNKNOWN }],
    ["unknown timer", { timers: { inactive: UNKNOWN, closed: "PT10M" } }],
    ["unknown adopt", { adopt: UNKNOWN }],
    ["null properties", { uniqueName: null, state: null, timers: null, attributes: null }],
  ])("skips %s", (_name, news) => {
    expect(conversation(news)).toEqual([]);
  });

  it("reports each problem precisely", () => {
    expect(
      conversation({
        chatServiceSid: "IS123",
        uniqueName: "a/b",
        friendlyName: "x".repeat(257),
        state: "open",
        attributes: ["not", "an", "object"],
        messagingServiceSid: IS,
        adopt: "always",
        timers: { inactive: "PT30S", closed: "P1M" },
      }),
    ).toMatchInlineSnapshot(`
      [
        {
          "property": "chatServiceSid",
          "reason": "expected an IS… SID (IS followed by 32 hex digits), got "IS123"",
        },
        {
          "property": "uniqueName",
          "reason": "must not contain '/', '?' or '#': Twilio addresses a conversation by its unique name in the URL",
        },
        {
          "property": "friendlyName",
          "reason": "is 257 characters long; Twilio allows at most 256",
        },
        {
          "property": "state",
          "reason": "expected one of active, inactive, closed, got "open"",
        },
        {
          "property": "attributes",
          "reason": "expected an object, got a list",
        },
        {
          "property": "messagingServiceSid",
          "reason": "expected an MG… SID (MG followed by 32 hex digits), got "ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"",
        },
        {
          "property": "adopt",
          "reason": "expected one of never, ifExists, require, got "always"",
        },
        {
          "property": "timers",
          "reason": "timers.inactive is 30s; Twilio's minimum is 1 minute",
        },
        {
          "property": "timers",
          "reason": "timers.closed must be an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. PT10M, P1D), got "P1M"",
        },
      ]
    `);
  });

  it.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["unique name that looks like a SID", { uniqueName: CH }, [{ property: "uniqueName", reason: "must not look like a conversation SID (CH…): Twilio would read it as a SID" }]],
    ["blank unique name", { uniqueName: "  " }, [{ property: "uniqueName", reason: "must not be empty" }]],
    ["unique name of one dot", { uniqueName: "." }, [{ property: "uniqueName", reason: 'must not be ".": in a URL it names the list or its parent, not one conversation' }]],
    ["unique name of two dots", { uniqueName: ".." }, [{ property: "uniqueName", reason: 'must not be "..": in a URL it names the list or its parent, not one conversation' }]],
    ["unique name too long", { uniqueName: "u".repeat(257) }, [{ property: "uniqueName", reason: "is 257 characters long; Twilio allows at most 256" }]],
    ["unique name not a string", { uniqueName: 42 }, [{ property: "uniqueName", reason: 'expected a string, got number 42' }]],
    ["closed timer under 10 minutes", { timers: { closed: "PT9M59S" } }, [{ property: "timers", reason: "timers.closed is 599s; Twilio's minimum is 10 minutes" }]],
    ["attributes over 16 KB", { attributes: { big: "x".repeat(16 * 1024) } }, [{ property: "attributes", reason: "is 16394 bytes as JSON; Twilio allows at most 16384" }]],
    ["timers as a duration instead of an object", { timers: "PT10M" }, [{ property: "timers", reason: 'expected an object with inactive and/or closed durations (e.g. {inactive: PT10M}), got string "PT10M"' }]],
    ["timers as a list", { timers: ["PT1M"] }, [{ property: "timers", reason: "expected an object with inactive and/or closed durations (e.g. {inactive: PT10M}), got a list" }]],
    ["attributes as JSON text", { attributes: '{"a":1}' }, [{ property: "attributes", reason: 'expected an object, got string "{\\"a\\":1}"' }]],
  ])("%s", (_name, news, expected) => {
    expect(conversation(news)).toEqual(expected);
  });

  it.each([
    ["minimums exactly", { inactive: "PT1M", closed: "PT10M" }],
    ["in seconds", { inactive: "PT60S", closed: "PT600S" }],
    ["in days and weeks", { inactive: "P1D", closed: "P1W" }],
  ])("accepts timers %s", (_name, timers) => {
    expect(conversation({ timers })).toEqual([]);
  });

  it("attributes at exactly 16 KB are accepted", () => {
    // {"big":"…"} is 10 bytes of JSON around the text
    expect(conversation({ attributes: { big: "x".repeat(16 * 1024 - 10) } })).toEqual([]);
  });

  describe("adopt", () => {
    it.each(["ifExists", "require"])("adopt: %s needs a unique name", (adopt) => {
      expect(conversation({ adopt })).toEqual([
        { property: "adopt", reason: `adopt: ${adopt} needs a uniqueName to find the conversation by; set uniqueName or remove adopt` },
      ]);
    });

    it.each([["never"], [undefined]])("adopt %j needs nothing", (adopt) => {
      expect(conversation({ adopt })).toEqual([]);
    });
  });

  describe("closed is terminal (old inputs say closed)", () => {
    const olds = { state: "closed", friendlyName: "Old", attributes: { a: 1 } };

    it("refuses reopening", () => {
      expect(conversation({ state: "active", friendlyName: "Old" }, olds)).toMatchInlineSnapshot(`
        [
          {
            "property": "state",
            "reason": "was closed and can't become "active": a closed conversation can't be reopened or edited; to start over, give the resource a new name in the stack so a new conversation is created",
          },
        ]
      `);
    });

    it("refuses editing a property", () => {
      expect(conversation({ state: "closed", friendlyName: "New", attributes: { a: 1 } }, olds)).toMatchInlineSnapshot(`
        [
          {
            "property": "friendlyName",
            "reason": "can't change on a closed conversation: a closed conversation can't be reopened or edited; to start over, give the resource a new name in the stack so a new conversation is created",
          },
        ]
      `);
    });

    it.each<[string, Record<string, unknown>]>([
      ["unchanged", { state: "closed", friendlyName: "Old", attributes: { a: 1 } }],
      ["attributes in another key order", { state: "closed", attributes: { a: 1 } }],
      ["properties left out", { state: "closed" }],
      ["state unknown", { state: UNKNOWN, friendlyName: "New" }],
      ["state no longer managed", { friendlyName: "Old" }],
    ])("accepts: %s", (_name, news) => {
      expect(conversation(news, olds)).toEqual([]);
    });

    it("still refuses edits when state is no longer declared", () => {
      expect(conversation({ friendlyName: "New" }, olds).map((failure) => failure.property)).toEqual(["friendlyName"]);
    });

    it("does not apply when the old state was not closed", () => {
      expect(conversation({ state: "active", friendlyName: "New" }, { state: "inactive" })).toEqual([]);
    });
  });
});

describe("checkMessage", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a body", {}],
    ["media only", { body: null, mediaSid: ME }],
    ["body and media", { mediaSid: ME }],
    ["a template", { body: null, contentSid: HX, contentVariables: { "1": "Alice" } }],
    ["everything", { chatServiceSid: IS, author: "alice", attributes: { a: 1 }, subject: "Hi", dateCreated: "2024-01-31T09:30:00Z", dateUpdated: "2024-01-31T10:30:00.5+01:00" }],
    ["a body of exactly 1600 characters", { body: "b".repeat(1600) }],
    ["a variable of exactly 256 characters", { body: null, contentSid: HX, contentVariables: { "1": "v".repeat(256) } }],
    ["unknown conversation", { conversationSid: UNKNOWN }],
    ["unknown body", { body: UNKNOWN }],
  ])("accepts %s", (_name, news) => {
    expect(message(news)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["no conversation", { conversationSid: null }, [{ property: "conversationSid", reason: "is required" }]],
    ["bad conversation SID", { conversationSid: "support-1" }, [{ property: "conversationSid", reason: 'expected a CH… SID (CH followed by 32 hex digits), got "support-1"' }]],
    ["nothing to send", { body: null }, [{ property: "body", reason: "a message needs a body, a mediaSid or a contentSid" }]],
    ["body too long", { body: "b".repeat(1601) }, [{ property: "body", reason: "is 1601 characters long; Twilio allows at most 1600" }]],
    ["body counted in characters, not UTF-16 units", { body: "😀".repeat(1601) }, [{ property: "body", reason: "is 1601 characters long; Twilio allows at most 1600" }]],
    ["subject too long", { subject: "s".repeat(257) }, [{ property: "subject", reason: "is 257 characters long; Twilio allows at most 256" }]],
    ["attributes over 4 KB", { attributes: { big: "x".repeat(4 * 1024) } }, [{ property: "attributes", reason: "is 4106 bytes as JSON; Twilio allows at most 4096" }]],
    ["bad media SID", { mediaSid: "ME1" }, [{ property: "mediaSid", reason: 'expected an ME… SID (ME followed by 32 hex digits), got "ME1"' }]],
    ["bad timestamp", { dateCreated: "yesterday" }, [{ property: "dateCreated", reason: 'expected an ISO 8601 timestamp such as 2024-01-31T09:30:00Z, got "yesterday"' }]],
    ["timestamp without a zone", { dateUpdated: "2024-01-31T09:30:00" }, [{ property: "dateUpdated", reason: 'expected an ISO 8601 timestamp such as 2024-01-31T09:30:00Z, got "2024-01-31T09:30:00"' }]],
    ["impossible date", { dateCreated: "2024-13-40T09:30:00Z" }, [{ property: "dateCreated", reason: 'expected an ISO 8601 timestamp such as 2024-01-31T09:30:00Z, got "2024-13-40T09:30:00Z"' }]],
    ["author not a string", { author: 7 }, [{ property: "author", reason: "expected a string, got number 7" }]],
    [
      "content template with a body",
      { contentSid: HX },
      [{ property: "contentSid", reason: "Twilio ignores body and mediaSid when contentSid is set: declare one or the other" }],
    ],
    [
      "content template with media",
      { body: null, contentSid: HX, mediaSid: ME },
      [{ property: "contentSid", reason: "Twilio ignores body and mediaSid when contentSid is set: declare one or the other" }],
    ],
    [
      "variables without a template",
      { contentVariables: { "1": "Alice" } },
      [{ property: "contentVariables", reason: "only apply to a content template: set contentSid too" }],
    ],
    [
      "a variable over 256 characters",
      { body: null, contentSid: HX, contentVariables: { "1": "ok", name: "v".repeat(257) } },
      [{ property: "contentVariables", reason: "contentVariables.name is 257 characters long; Twilio allows at most 256" }],
    ],
    [
      "a variable that is not a string",
      { body: null, contentSid: HX, contentVariables: { "1": 5 } },
      [{ property: "contentVariables", reason: "contentVariables.1 must be a string, got number 5" }],
    ],
    [
      "variables as a list",
      { body: null, contentSid: HX, contentVariables: ["Alice"] },
      [{ property: "contentVariables", reason: "expected an object of strings, got a list" }],
    ],
  ])("%s", (_name, news, expected) => {
    expect(message(news)).toEqual(expected);
  });

  it("reports several problems at once", () => {
    expect(checkMessage({ contentVariables: { "1": "x" } }).map((failure) => failure.property)).toEqual([
      "conversationSid",
      "body",
      "contentVariables",
    ]);
  });
});

describe("checkMessage in a closed conversation", () => {
  const closed = { conversationSid: CH, body: "hi", conversationState: "closed" };

  it("refuses a new message, since Twilio takes none (50377)", () => {
    expect(checkMessage(closed)).toEqual([
      { property: "conversationState", reason: expect.stringContaining("a closed conversation takes no new messages (Twilio error 50377)") },
    ]);
    expect(checkMessage(closed, {})).toHaveLength(1);
  });

  it("accepts a message that exists already, so a seeded conversation can be closed later", () => {
    expect(checkMessage(closed, { ...closed, conversationState: "active" })).toEqual([]);
  });
});

describe("checkMessage: edits in a closed conversation", () => {
  const closed = { conversationSid: CH, body: "hi", conversationState: "closed" };

  it("refuses an edit of a message whose conversation was and stays closed", () => {
    expect(checkMessage({ ...closed, body: "edited" }, closed)).toEqual([
      { property: "body", reason: expect.stringContaining("Twilio edits no message of a closed conversation (error 50377)") },
    ]);
  });

  it("refuses it in the change that closes the conversation too, since the conversation is updated first", () => {
    expect(checkMessage({ ...closed, body: "edited" }, { ...closed, conversationState: "active" }).map((f) => f.property)).toEqual(["body"]);
  });

  it("allows closing the conversation when its messages stay as they are", () => {
    expect(checkMessage(closed, { ...closed, conversationState: "active" })).toEqual([]);
  });
});
