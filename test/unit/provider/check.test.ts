import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { checkConversation, checkMessage, closedConversationFailures } from "../../../provider/resources/check";
import { outputsHolding } from "../../support/closed-conversation";

const IS = "IS" + "a".repeat(32);
const CH = "CH" + "b".repeat(32);
const ME = "ME" + "d".repeat(32);
const MG = "MG" + "e".repeat(32);
const HX = "HX" + "f".repeat(32);

/** check's failures, and with `held` (what the outputs say Twilio holds) what diff refuses of a closed conversation. */
const conversation = (news: Record<string, unknown>, held?: Record<string, unknown>) => [
  ...checkConversation(news),
  ...(held ? closedConversationFailures(outputsHolding(held), news) : []),
];
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
        dateCreated: "2024-01-31T09:30:00.5Z",
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
    ["unknown timers", { state: "active", timers: UNKNOWN }],
    ["unknown timer", { state: "active", timers: { inactive: UNKNOWN, closed: "PT10M" } }],
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
          "reason": "expected a Conversation Service SID (IS followed by 32 hex digits), received "IS123" (hint: copy the IS… SID from the Twilio console (Conversations > Manage > Services))",
        },
        {
          "property": "uniqueName",
          "reason": "uniqueName "a/b" contains "/", which cannot appear in a URL path segment (hint: Twilio accepts the unique name in place of the SID in request paths, and its libraries put it there as written; remove the "/")",
        },
        {
          "property": "friendlyName",
          "reason": "friendlyName is 257 characters long; Twilio allows at most 256 (hint: shorten it)",
        },
        {
          "property": "state",
          "reason": "expected one of active, inactive, closed, received "open" (hint: use one of active, inactive, closed)",
        },
        {
          "property": "attributes",
          "reason": "expected an object, got a list",
        },
        {
          "property": "messagingServiceSid",
          "reason": "expected a Messaging Service SID (MG followed by 32 hex digits), received "ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" (hint: copy the MG… SID from the Twilio console (Messaging > Services))",
        },
        {
          "property": "adopt",
          "reason": "expected one of never, ifExists, require, received "always" (hint: use one of never, ifExists, require)",
        },
        {
          "property": "timers",
          "reason": "timers.inactive: the inactive timer "PT30S" is shorter than Twilio's minimum of 1 minute (hint: use PT1M or longer)",
        },
        {
          "property": "timers",
          "reason": "timers.closed: "P1M" counts in years or months, which have no fixed length (hint: use weeks, days, hours or minutes instead, e.g. P30D)",
        },
      ]
    `);
  });

  it.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["unique name that looks like a SID", { uniqueName: CH }, [{ property: "uniqueName", reason: `uniqueName "${CH}" looks like a conversation SID (hint: request paths take a SID or a unique name in the same place; choose a name that is not CH followed by 32 hex digits)` }]],
    ["blank unique name", { uniqueName: "  " }, [{ property: "uniqueName", reason: 'uniqueName "  " is blank (hint: give the conversation a name, or remove uniqueName to leave it without one)' }]],
    ["unique name too long", { uniqueName: "u".repeat(257) }, [{ property: "uniqueName", reason: "uniqueName is 257 characters long; Twilio allows at most 256 (hint: shorten it)" }]],
    ["unique name not a string", { uniqueName: 42 }, [{ property: "uniqueName", reason: 'expected a string, got number 42' }]],
    ["closed timer under 10 minutes", { state: "active", timers: { closed: "PT9M59S" } }, [{ property: "timers", reason: 'timers.closed: the closed timer "PT9M59S" is shorter than Twilio\'s minimum of 10 minutes (hint: use PT10M or longer)' }]],
    ["attributes over 16 KB", { attributes: { big: "x".repeat(16 * 1024) } }, [{ property: "attributes", reason: "attributes are 16394 bytes as JSON; Twilio allows at most 16384 bytes for a conversation (hint: keep bulky data elsewhere and store a reference to it in attributes)" }]],
    ["timers as a duration instead of an object", { state: "active", timers: "PT10M" }, [{ property: "timers", reason: 'expected an object with inactive and/or closed durations (e.g. {inactive: PT10M}), got string "PT10M"' }]],
    ["timers as a list", { state: "active", timers: ["PT1M"] }, [{ property: "timers", reason: "expected an object with inactive and/or closed durations (e.g. {inactive: PT10M}), got a list" }]],
    ["attributes as JSON text", { attributes: '{"a":1}' }, [{ property: "attributes", reason: 'expected an object, got string "{\\"a\\":1}"' }]],
    ["an email address without @", { bindings: { email: { address: "support" } } }, [{ property: "bindings", reason: 'bindings.email.address: "support" is not an email address (hint: write it like support@example.com)' }]],
    ["an email address with a space", { bindings: { email: { address: "sup port@example.com" } } }, [{ property: "bindings", reason: 'bindings.email.address: "sup port@example.com" is not an email address (hint: write it like support@example.com)' }]],
    ["a blank email name", { bindings: { email: { name: " " } } }, [{ property: "bindings", reason: 'bindings.email.name: the email name " " is blank (hint: give the sender a name, or remove name to leave it without one)' }]],
    ["an email name not a string", { bindings: { email: { name: 7 } } }, [{ property: "bindings", reason: "bindings.email.name: expected a string, got number 7" }]],
    ["a binding Twilio has not", { bindings: { sms: { address: "+1555" } } }, [{ property: "bindings", reason: "bindings.sms: Twilio has no such binding; the one it takes is email" }]],
    ["an email part Twilio has not", { bindings: { email: { from: "a@example.com" } } }, [{ property: "bindings", reason: "bindings.email.from: Twilio takes only address and name" }]],
    ["bindings as text", { bindings: "a@example.com" }, [{ property: "bindings", reason: 'expected an object with an email sender (e.g. {email: {address: support@example.com}}), got string "a@example.com"' }]],
    ["email as text", { bindings: { email: "a@example.com" } }, [{ property: "bindings", reason: 'bindings.email: expected an object with address and/or name, got string "a@example.com"' }]],
    ["webhooksEnabled as text", { webhooksEnabled: "true" }, [{ property: "webhooksEnabled", reason: 'expected true or false, got string "true"' }]],
    ["a creation date without a zone", { dateCreated: "2024-01-31T09:30:00" }, [{ property: "dateCreated", reason: '"2024-01-31T09:30:00" is not an ISO 8601 UTC timestamp (hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z))' }]],
  ])("%s", (_name, news, expected) => {
    expect(conversation(news)).toEqual(expected);
  });

  it.each([
    ["minimums exactly", { inactive: "PT1M", closed: "PT10M" }],
    ["in seconds", { inactive: "PT60S", closed: "PT600S" }],
    ["in days and weeks", { inactive: "P1D", closed: "P1W" }],
  ])("accepts timers %s", (_name, timers) => {
    expect(conversation({ state: "active", timers })).toEqual([]);
  });

  it("attributes at exactly 16 KB are accepted", () => {
    // {"big":"…"} is 10 bytes of JSON around the text
    expect(conversation({ attributes: { big: "x".repeat(16 * 1024 - 10) } })).toEqual([]);
  });

  describe("adopt", () => {
    it.each(["ifExists", "require"])("adopt: %s needs a unique name", (adopt) => {
      expect(conversation({ adopt })).toEqual([
        { property: "adopt", reason: `adopt: ${adopt} needs a uniqueName to find the existing conversation (hint: add a uniqueName, or remove adopt)` },
      ]);
    });

    it.each([["never"], [undefined]])("adopt %j needs nothing", (adopt) => {
      expect(conversation({ adopt })).toEqual([]);
    });
  });

  describe("closed is terminal (the outputs say Twilio holds it closed)", () => {
    const olds = { state: "closed", friendlyName: "Old", attributes: { a: 1 }, bindings: { email: { address: "old@example.com" } } };

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
      ["email sender unchanged", { state: "closed", bindings: { email: { address: "old@example.com" } } }],
    ])("accepts: %s", (_name, news) => {
      expect(conversation(news, olds)).toEqual([]);
    });

    it("refuses backdating it, and accepts its creation date as held", () => {
      const closed = { ...olds, dateCreated: "2024-01-31T09:30:00Z" };
      expect(conversation({ state: "closed", dateCreated: "2023-06-01T08:00:00Z" }, closed).map((failure) => failure.property)).toEqual(["dateCreated"]);
      expect(conversation({ state: "closed", dateCreated: "2024-01-31T09:30:00.300Z" }, closed)).toEqual([]);
    });

    it("refuses a new email sender", () => {
      const closed = { ...olds, bindings: { email: { address: "old@example.com" } } };
      expect(conversation({ state: "closed", bindings: { email: { address: "new@example.com" } } }, closed).map((failure) => failure.property)).toEqual(["bindings"]);
    });

    it("still refuses edits when state is no longer declared", () => {
      expect(conversation({ friendlyName: "New" }, olds).map((failure) => failure.property)).toEqual(["friendlyName"]);
    });

    it("does not apply when Twilio does not hold it closed", () => {
      expect(conversation({ state: "active", friendlyName: "New" }, { state: "inactive" })).toEqual([]);
    });

    // After refresh saw the timer close it, an `up` with nothing to do writes the declared inputs
    // (state: active) back: only the outputs still say closed.
    describe("closed by its declared timer, the file declaring state: active", () => {
      const timers = { inactive: "PT5M", closed: "PT10M" };
      const held = { state: "closed", declaredState: "active", friendlyName: "Desk", timers, bindings: { email: { address: "desk@example.com", name: null } } };

      it("refuses an edit", () => {
        expect(conversation({ state: "active", timers, friendlyName: "Front desk" }, held)).toEqual([
          { property: "friendlyName", reason: expect.stringContaining("can't change on a closed conversation") },
        ]);
      });

      it.each<[string, Record<string, unknown>]>([
        ["the file as it is", { state: "active", timers, friendlyName: "Desk" }],
        ["a timer left out", { state: "active", timers: { closed: "PT10M" }, friendlyName: "Desk" }],
        ["a timer in other units", { state: "active", timers: { inactive: "PT300S", closed: "PT10M" } }],
        ["a binding's part left out, which Twilio answers as none", { state: "active", timers, bindings: { email: { address: "desk@example.com" } } }],
        ["an edit not known until apply (judged then)", { state: "active", timers, friendlyName: UNKNOWN }],
      ])("accepts %s", (_name, news) => {
        expect(conversation(news, held)).toEqual([]);
      });
    });
  });
});

describe("checkMessage", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a body", {}],
    ["media only", { body: null, mediaSid: ME }],
    ["body and media", { mediaSid: ME }],
    ["a template", { body: null, contentSid: HX, contentVariables: { "1": "Alice" } }],
    ["everything", { chatServiceSid: IS, author: "alice", attributes: { a: 1 }, subject: "Hi", dateCreated: "2024-01-31T09:30:00Z", dateUpdated: "2024-01-31T10:30:00.5Z" }],
    ["a body of exactly 1600 characters", { body: "b".repeat(1600) }],
    ["a variable of exactly 256 characters", { body: null, contentSid: HX, contentVariables: { "1": "v".repeat(256) } }],
    ["unknown conversation", { conversationSid: UNKNOWN }],
    ["unknown body", { body: UNKNOWN }],
  ])("accepts %s", (_name, news) => {
    expect(message(news)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["no conversation", { conversationSid: null }, [{ property: "conversationSid", reason: "is required" }]],
    ["bad conversation SID", { conversationSid: "support-1" }, [{ property: "conversationSid", reason: 'expected a Conversation SID (CH followed by 32 hex digits), received "support-1" (hint: copy the CH… SID from the conversation\'s sid output)' }]],
    ["nothing to send", { body: null }, [{ property: "body", reason: "the message has no content: no body, mediaSid or contentSid (hint: add a body, a mediaSid, or a contentSid)" }]],
    ["body too long", { body: "b".repeat(1601) }, [{ property: "body", reason: "body is 1601 characters long; Twilio allows at most 1600 (hint: split it into several messages)" }]],
    ["body counted in UTF-16 code units, as Twilio counts", { body: "😀".repeat(801) }, [{ property: "body", reason: "body is 1602 characters long as Twilio counts (each of its 801 emoji or other characters beyond U+FFFF counts 2); Twilio allows at most 1600 (hint: split it into several messages)" }]],
    ["subject too long", { subject: "s".repeat(257) }, [{ property: "subject", reason: "subject is 257 characters long; Twilio allows at most 256 (hint: shorten it)" }]],
    ["attributes over 4 KB", { attributes: { big: "x".repeat(4 * 1024) } }, [{ property: "attributes", reason: "attributes are 4106 bytes as JSON; Twilio allows at most 4096 bytes for a message (hint: keep bulky data elsewhere and store a reference to it in attributes)" }]],
    ["bad media SID", { mediaSid: "ME1" }, [{ property: "mediaSid", reason: 'expected a Media SID (ME followed by 32 hex digits), received "ME1" (hint: copy the ME… SID from the response of the Media Content Service upload)' }]],
    ["bad timestamp", { dateCreated: "yesterday" }, [{ property: "dateCreated", reason: '"yesterday" is not an ISO 8601 UTC timestamp (hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z))' }]],
    ["timestamp without a zone", { dateUpdated: "2024-01-31T09:30:00" }, [{ property: "dateUpdated", reason: '"2024-01-31T09:30:00" is not an ISO 8601 UTC timestamp (hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z))' }]],
    ["impossible date", { dateCreated: "2024-13-40T09:30:00Z" }, [{ property: "dateCreated", reason: '"2024-13-40T09:30:00Z" is not an ISO 8601 UTC timestamp (hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z))' }]],
    ["author not a string", { author: 7 }, [{ property: "author", reason: "expected a string, got number 7" }]],
    [
      "content template with a body",
      { contentSid: HX },
      [{ property: "contentSid", reason: "contentSid cannot be combined with body (hint: Twilio ignores body when a content template is used; remove body or contentSid)" }],
    ],
    [
      "content template with media",
      { body: null, contentSid: HX, mediaSid: ME },
      [{ property: "contentSid", reason: "contentSid cannot be combined with mediaSid (hint: Twilio ignores mediaSid when a content template is used; remove mediaSid or contentSid)" }],
    ],
    [
      "variables without a template",
      { contentVariables: { "1": "Alice" } },
      [{ property: "contentVariables", reason: "contentVariables without a contentSid (hint: add the contentSid (HX…) of the template these variables fill, or remove contentVariables)" }],
    ],
    [
      "a variable over 256 characters",
      { body: null, contentSid: HX, contentVariables: { "1": "ok", name: "v".repeat(257) } },
      [{ property: "contentVariables", reason: 'content variable "name" is 257 characters long; Twilio allows at most 256 (hint: shorten it)' }],
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

describe("checkConversation: the seed thread", () => {
  const thread = {
    hello: { author: "system", body: "Hi" },
    help: { after: "hello", author: "agent-ada", body: "How can I help?", attributes: { a: 1, b: [1, 2] } },
    template: { after: "help", contentSid: HX, contentVariables: { "1": "Ada" }, dateCreated: "2024-03-01T09:00:00Z" },
    photo: { after: "template", mediaSid: ME, subject: "Box", dateCreated: "2024-03-01T09:10:00Z", dateUpdated: "2024-03-01T09:11:00Z" },
  };
  const withMessage = (key: string, patch: Record<string, unknown>) => ({ ...thread, [key]: { ...thread[key as keyof typeof thread], ...patch } });

  it.each<[string, Record<string, unknown>]>([
    ["a whole thread", { messages: thread }],
    ["no thread", { messages: null }],
    ["an empty thread", { messages: {} }],
    ["one message", { messages: { only: { body: "Hi" } } }],
    ["listed in another order than the links give", { messages: { b: { after: "a", body: "2" }, a: { body: "1" } } }],
    ["the whole thread unknown", { messages: UNKNOWN }],
    ["one message unknown", { messages: { ...thread, help: UNKNOWN } }],
    ["an unknown body", { messages: withMessage("help", { body: UNKNOWN }) }],
    ["fields left out as null", { messages: withMessage("help", { author: null, attributes: null }) }],
    ["a key that names a member every object has", { messages: { constructor: { body: "Hi" }, next: { after: "constructor", body: "There" } } }],
  ])("accepts %s", (_name, news) => {
    expect(conversation(news)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["messages as a list", { messages: [{ body: "Hi" }] }, [{ property: "messages", reason: "expected messages by key, got a list" }]],
    ["messages as text", { messages: "Hi" }, [{ property: "messages", reason: 'expected messages by key, got string "Hi"' }]],
    ["a message that is not an object", { messages: { ...thread, help: "How can I help?" } }, [{ property: "messages.help", reason: 'expected a message, got string "How can I help?"' }]],
    ["a body too long", { messages: withMessage("help", { body: "b".repeat(1601) }) }, [{ property: "messages.help.body", reason: "body is 1601 characters long; Twilio allows at most 1600 (hint: split it into several messages)" }]],
    ["no content", { messages: withMessage("help", { body: null }) }, [{ property: "messages.help.body", reason: "the message has no content: no body, mediaSid or contentSid (hint: add a body, a mediaSid, or a contentSid)" }]],
    ["an author that is not a string", { messages: withMessage("hello", { author: 7 }) }, [{ property: "messages.hello.author", reason: "expected a string, got number 7" }]],
    ["a bad media SID", { messages: withMessage("photo", { mediaSid: "ME1" }) }, [{ property: "messages.photo.mediaSid", reason: 'expected a Media SID (ME followed by 32 hex digits), received "ME1" (hint: copy the ME… SID from the response of the Media Content Service upload)' }]],
    ["a template with a body", { messages: withMessage("template", { body: "Hi" }) }, [{ property: "messages.template.contentSid", reason: "contentSid cannot be combined with body (hint: Twilio ignores body when a content template is used; remove body or contentSid)" }]],
    ["variables without a template", { messages: withMessage("help", { contentVariables: { "1": "x" } }) }, [{ property: "messages.help.contentVariables", reason: "contentVariables without a contentSid (hint: add the contentSid (HX…) of the template these variables fill, or remove contentVariables)" }]],
    ["a timestamp without a zone", { messages: withMessage("photo", { dateUpdated: "2024-03-01T09:11:00" }) }, [{ property: "messages.photo.dateUpdated", reason: '"2024-03-01T09:11:00" is not an ISO 8601 UTC timestamp (hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z))' }]],
    ["attributes over 4 KB", { messages: withMessage("help", { attributes: { big: "x".repeat(4 * 1024) } }) }, [{ property: "messages.help.attributes", reason: "attributes are 4106 bytes as JSON; Twilio allows at most 4096 bytes for a message (hint: keep bulky data elsewhere and store a reference to it in attributes)" }]],
    ["an after that is not a key", { messages: withMessage("help", { after: 1 }) }, [{ property: "messages.help.after", reason: "expected a message key, got number 1" }]],
  ])("names the message and field of %s", (_name, news, expected) => {
    expect(conversation(news)).toEqual(expected);
  });

  const HINT = ' (hint: each message names the key of the one before it in "after")';
  it.each<[string, Record<string, unknown>, string]>([
    ["two first messages", { a: { body: "1" }, b: { body: "2" } }, 'exactly one message must have no "after" (the first); found 2'],
    ["no first message", { a: { after: "b", body: "1" }, b: { after: "a", body: "2" } }, 'exactly one message must have no "after" (the first); found 0'],
    ["after a key not in the thread", { ...thread, help: { ...thread.help, after: "hi" } }, 'message "help" follows "hi", which is not in the thread'],
    ["after a member every object has", { ...thread, help: { ...thread.help, after: "constructor" } }, 'message "help" follows "constructor", which is not in the thread'],
    ["two after the same one", { ...thread, photo: { ...thread.photo, after: "help" } }, 'messages "template" and "photo" both follow "help"'],
    ["a loop", { ...thread, template: { ...thread.template, after: "photo" } }, 'the "after" links form a loop'],
  ])("refuses a broken chain: %s", (_name, messages, problem) => {
    expect(conversation({ messages })).toEqual([{ property: "messages", reason: problem + HINT }]);
  });

  it("reports a broken chain next to a message's own problems", () => {
    const messages = { a: { body: "b".repeat(1601) }, b: { body: "2" } };
    expect(conversation({ messages }).map((failure) => failure.property)).toEqual(["messages.a.body", "messages"]);
  });

  describe("in a conversation Twilio holds closed (the outputs say so)", () => {
    const olds = { state: "closed", messages: thread };

    it.each<[string, Record<string, unknown>]>([
      ["the thread unchanged", { state: "closed", messages: thread }],
      ["the thread no longer managed", { state: "closed" }],
      ["a message removed", { state: "closed", messages: { hello: thread.hello, help: thread.help, template: thread.template } }],
      ["attributes in another key order", { state: "closed", messages: withMessage("help", { attributes: { b: [1, 2], a: 1 } }) }],
      ["a date to the same second, as Twilio keeps it", { state: "closed", messages: withMessage("template", { dateCreated: "2024-03-01T09:00:00.300Z" }) }],
      ["a field left out", { state: "closed", messages: withMessage("help", { attributes: null }) }],
      ["an unknown body", { state: "closed", messages: withMessage("help", { body: UNKNOWN }) }],
    ])("accepts %s", (_name, news) => {
      expect(conversation(news, olds)).toEqual([]);
    });

    it("refuses a new message", () => {
      expect(conversation({ state: "closed", messages: { ...thread, thanks: { after: "photo", body: "Thanks" } } }, olds)).toEqual([
        { property: "messages.thanks", reason: expect.stringContaining("a closed conversation takes no new messages (Twilio error 50377)") },
      ]);
    });

    it("refuses a new thread where the previous inputs held an empty one", () => {
      expect(conversation({ state: "closed", messages: { hi: { body: "Hi" } } }, { state: "closed", messages: {} }).map((failure) => failure.property)).toEqual(["messages.hi"]);
    });

    it("accepts a thread where the previous inputs have none: resources of their own held those messages before, and the update takes them over", () => {
      expect(conversation({ state: "closed", messages: thread }, { state: "closed" })).toEqual([]);
    });

    it("refuses an edit, naming the field", () => {
      expect(conversation({ state: "closed", messages: withMessage("help", { body: "Edited", author: "agent-grace" }) }, olds)).toEqual([
        { property: "messages.help.author", reason: expect.stringContaining("Twilio edits no message of a closed conversation (error 50377)") },
        { property: "messages.help.body", reason: expect.stringContaining("Twilio edits no message of a closed conversation (error 50377)") },
      ]);
    });

    it("refuses a change that would re-create a message, which would delete it and then fail to create it", () => {
      expect(conversation({ state: "closed", messages: withMessage("template", { contentSid: "HX" + "0".repeat(32) }) }, olds)).toEqual([
        { property: "messages.template.contentSid", reason: expect.stringContaining("re-creates the message, and a closed conversation takes no new messages (Twilio error 50377)") },
      ]);
    });

    it("refuses a reorder, which re-creates the message moved", () => {
      const reordered = { hello: thread.hello, template: { ...thread.template, after: "hello" }, help: { ...thread.help, after: "template" }, photo: { ...thread.photo, after: "help" } };
      expect(conversation({ state: "closed", messages: reordered }, olds)).toEqual([
        { property: "messages.help", reason: expect.stringContaining("takes no new messages (Twilio error 50377)") },
      ]);
    });

    it("refuses an insertion once, at the message inserted", () => {
      const inserted = { ...thread, note: { after: "hello", body: "Note" }, help: { ...thread.help, after: "note" } };
      expect(conversation({ state: "closed", messages: inserted }, olds).map((failure) => failure.property)).toEqual(["messages.note"]);
    });
  });

  describe("in a conversation being closed now, or created closed", () => {
    it("accepts new and edited messages: they are written before the conversation is closed", () => {
      const news = { state: "closed", messages: { ...withMessage("help", { body: "Edited" }), thanks: { after: "photo", body: "Thanks" } } };
      expect(conversation(news, { state: "active", messages: thread })).toEqual([]);
      expect(conversation(news, { state: "inactive", messages: thread })).toEqual([]);
    });

    it("accepts a thread declared with a new closed conversation", () => {
      expect(conversation({ state: "closed", messages: thread })).toEqual([]);
      expect(conversation({ state: "closed", messages: thread }, {})).toEqual([]);
    });

    it("accepts a thread when the previous state was not managed", () => {
      expect(conversation({ state: "closed", messages: { ...thread, thanks: { after: "photo", body: "Thanks" } } }, { messages: thread })).toEqual([]);
    });
  });
});
