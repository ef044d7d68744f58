import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStackFile } from "../../../schemas/load";
import { renderProblems } from "../../../schemas/problems";

// One fixture per rule; each pins the exact text a person sees, so a wording change is a
// reviewed change. Fixture files are named in problems by their path from the repository root.
const FIXTURES = join(__dirname, "..", "..", "fixtures", "invalid");
const rendered = new Set<string>();

function render(name: string): string {
  rendered.add(name);
  // Through the file, as validate and the program read it: bytes first, then YAML.
  const result = loadStackFile(relative(process.cwd(), join(FIXTURES, name)));
  if (result.ok) throw new Error(`${name} loaded without problems`);
  return renderProblems(result.problems);
}

describe("invalid stack files", () => {
  it("adopt not in enum", () => {
    expect(render("adopt-not-in-enum.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/adopt-not-in-enum.yaml:4:5 conversations.lobby.adopt
        ✖ expected one of never, ifExists, require, received "always"
        hint: use one of never, ifExists, require"
    `);
  });

  it("adopt without unique name", () => {
    expect(render("adopt-without-unique-name.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/adopt-without-unique-name.yaml:3:5 conversations.lobby.adopt
        ✖ adopt: ifExists needs a uniqueName to find the existing conversation
        hint: add a uniqueName, or remove adopt"
    `);
  });

  it("attributes json string", () => {
    expect(render("attributes-json-string.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/attributes-json-string.yaml:3:5 conversations.lobby.attributes
        ✖ expected a mapping, received a string
        hint: write attributes as YAML key: value pairs, e.g. attributes: { team: support }, not as a JSON string"
    `);
  });

  it("attributes list", () => {
    expect(render("attributes-list.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/attributes-list.yaml:5:9 conversations.lobby.messages[0].attributes
        ✖ expected a mapping, received a list
        hint: write attributes as YAML key: value pairs, e.g. attributes: { team: support }"
    `);
  });

  it("author number", () => {
    expect(render("author-number.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/author-number.yaml:4:9 conversations.lobby.messages[0].author
        ✖ expected a string (an identity) or { participant: <key> }, received a number
        hint: quote it: author: "42""
    `);
  });

  it("bad logical name", () => {
    expect(render("bad-logical-name.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/bad-logical-name.yaml:2:3 conversations.Support_Desk
        ✖ "Support_Desk" is not a valid logical name
        hint: use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (it becomes the Pulumi resource name)"
    `);
  });

  it("bad message key", () => {
    expect(render("bad-message-key.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/bad-message-key.yaml:4:9 conversations.lobby.messages[0].key
        ✖ "1" is not a valid message key
        hint: use 1 to 63 lowercase letters, digits and hyphens, starting with a letter, e.g. welcome-1"
    `);
  });

  it("body null", () => {
    expect(render("body-null.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/body-null.yaml:4:9 conversations.lobby.messages[0].body
        ✖ expected a string, received null
        hint: give it a value, or remove the key to leave it unset"
    `);
  });

  it("body too long", () => {
    expect(render("body-too-long.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/body-too-long.yaml:4:9 conversations.lobby.messages[0].body
        ✖ body is 1601 characters long; Twilio allows at most 1600
        hint: split it into several messages"
    `);
  });

  it("content sid pattern", () => {
    expect(render("content-sid-pattern.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/content-sid-pattern.yaml:4:9 conversations.lobby.messages[0].contentSid
        ✖ expected a Content template SID (HX followed by 32 hex digits), received "HXnot-a-sid"
        hint: copy the HX… SID from the Twilio console (Messaging > Content Template Builder)"
    `);
  });

  it("content sid with body", () => {
    expect(render("content-sid-with-body.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/content-sid-with-body.yaml:4:9 conversations.lobby.messages[0].contentSid
        ✖ contentSid cannot be combined with body
        hint: Twilio ignores body when a content template is used; remove body or contentSid"
    `);
  });

  it("content sid with media sid", () => {
    expect(render("content-sid-with-media-sid.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/content-sid-with-media-sid.yaml:4:9 conversations.lobby.messages[0].contentSid
        ✖ contentSid cannot be combined with mediaSid
        hint: Twilio ignores mediaSid when a content template is used; remove mediaSid or contentSid"
    `);
  });

  it("content variable not scalar", () => {
    expect(render("content-variable-not-scalar.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/content-variable-not-scalar.yaml:6:11 conversations.lobby.messages[0].contentVariables.1
        ✖ expected a string, number or boolean, received a mapping
        hint: a content variable holds one value; write it as text"
    `);
  });

  it("content variable too long", () => {
    expect(render("content-variable-too-long.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/content-variable-too-long.yaml:6:11 conversations.lobby.messages[0].contentVariables.1
        ✖ content variable "1" is 257 characters long; Twilio allows at most 256
        hint: shorten it"
    `);
  });

  it("content variables not a mapping", () => {
    expect(render("content-variables-not-a-mapping.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/content-variables-not-a-mapping.yaml:5:9 conversations.lobby.messages[0].contentVariables
        ✖ expected a mapping, received a string
        hint: write contentVariables as YAML key: value pairs, e.g. contentVariables: { "1": Ada }, not as a JSON string"
    `);
  });

  it("content variables without content sid", () => {
    expect(render("content-variables-without-content-sid.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/content-variables-without-content-sid.yaml:5:9 conversations.lobby.messages[0].contentVariables
        ✖ contentVariables without a contentSid
        hint: add the contentSid (HX…) of the template these variables fill, or remove contentVariables"
    `);
  });

  it("conversation attributes too large", () => {
    expect(render("conversation-attributes-too-large.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/conversation-attributes-too-large.yaml:3:5 conversations.lobby.attributes
        ✖ attributes are 16412 bytes as JSON; Twilio allows at most 16384 bytes for a conversation
        hint: keep bulky data elsewhere and store a reference to it in attributes"
    `);
  });

  it("conversation empty", () => {
    expect(render("conversation-empty.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/conversation-empty.yaml:2:3 conversations.lobby
        ✖ expected a mapping, received null
        hint: write lobby: {} for an empty mapping, or add key: value pairs under it"
    `);
  });

  it("conversations a list", () => {
    expect(render("conversations-a-list.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/conversations-a-list.yaml:1:1 conversations
        ✖ expected a mapping, received a list
        hint: list conversations as logical-name: { … } entries"
    `);
  });

  it("date created impossible day", () => {
    expect(render("date-created-impossible-day.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/date-created-impossible-day.yaml:5:9 conversations.lobby.messages[0].dateCreated
        ✖ "2023-02-30T10:00:00Z" is not an ISO 8601 UTC timestamp
        hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z)"
    `);
  });

  it("date created not utc", () => {
    expect(render("date-created-not-utc.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/date-created-not-utc.yaml:5:9 conversations.lobby.messages[0].dateCreated
        ✖ "2024-01-02T03:04:05+01:00" is not an ISO 8601 UTC timestamp
        hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z)"
    `);
  });

  it("date updated before date created", () => {
    expect(render("date-updated-before-date-created.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/date-updated-before-date-created.yaml:6:9 conversations.lobby.messages[0].dateUpdated
        ✖ dateUpdated 2024-01-02T09:59:59Z is before dateCreated 2024-01-02T10:00:00Z
        hint: a message cannot be edited before it exists; use a dateUpdated at or after dateCreated"
    `);
  });

  it("date updated not a timestamp", () => {
    expect(render("date-updated-not-a-timestamp.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/date-updated-not-a-timestamp.yaml:5:9 conversations.lobby.messages[0].dateUpdated
        ✖ "yesterday" is not an ISO 8601 UTC timestamp
        hint: write it like 2024-01-02T03:04:05Z (in UTC, ending with Z)"
    `);
  });

  it("duplicate message key", () => {
    expect(render("duplicate-message-key.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/duplicate-message-key.yaml:6:9 conversations.lobby.messages[1].key
        ✖ message key "welcome" is already used by messages[0]
        hint: give each message of a conversation its own key"
    `);
  });

  it("duplicate unique name", () => {
    expect(render("duplicate-unique-name.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/duplicate-unique-name.yaml:5:5 conversations.front-desk.uniqueName
        ✖ uniqueName "front-desk" is already used by conversation "lobby"
        hint: unique names must differ within a Conversation Service; rename one of them"
    `);
  });

  it("duplicate yaml key", () => {
    expect(render("duplicate-yaml-key.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/duplicate-yaml-key.yaml:4:5 conversations.lobby.friendlyName
        ✖ duplicated mapping key
           1 | conversations:
           2 |   lobby:
           3 |     friendlyName: Lobby
           4 |     friendlyName: Front desk
          ---------^
        hint: a key may appear only once in a mapping; remove or rename one of them"
    `);
  });

  it("empty file", () => {
    expect(render("empty-file.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/empty-file.yaml:1:1
        ✖ the file is empty
        hint: declare at least conversations: {} (see examples/minimal.yaml)"
    `);
  });

  it("friendly name boolean", () => {
    expect(render("friendly-name-boolean.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/friendly-name-boolean.yaml:3:5 conversations.lobby.friendlyName
        ✖ expected a string, received a boolean
        hint: quote it: friendlyName: "true""
    `);
  });

  it("friendly name too long", () => {
    expect(render("friendly-name-too-long.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/friendly-name-too-long.yaml:3:5 conversations.lobby.friendlyName
        ✖ friendlyName is 257 characters long; Twilio allows at most 256
        hint: shorten it"
    `);
  });

  it("media sid pattern", () => {
    expect(render("media-sid-pattern.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/media-sid-pattern.yaml:4:9 conversations.lobby.messages[0].mediaSid
        ✖ expected a Media SID (ME followed by 32 hex digits), received "IM00000000000000000000000000000001"
        hint: copy the ME… SID from the response of the Media Content Service upload"
    `);
  });

  it("message attributes too large", () => {
    expect(render("message-attributes-too-large.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/message-attributes-too-large.yaml:5:9 conversations.lobby.messages[0].attributes
        ✖ attributes are 4112 bytes as JSON; Twilio allows at most 4096 bytes for a message
        hint: keep bulky data elsewhere and store a reference to it in attributes"
    `);
  });

  it("message without content", () => {
    expect(render("message-without-content.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/message-without-content.yaml:4:9 conversations.lobby.messages[0]
        ✖ the message has no content: no body, mediaSid or contentSid
        hint: add a body, a mediaSid, or a contentSid"
    `);
  });

  it("messages not a list", () => {
    expect(render("messages-not-a-list.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/messages-not-a-list.yaml:3:5 conversations.lobby.messages
        ✖ expected a list, received a mapping
        hint: write it as a list, one item per line starting with "- ""
    `);
  });

  it("messaging service sid pattern", () => {
    expect(render("messaging-service-sid-pattern.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/messaging-service-sid-pattern.yaml:3:5 conversations.lobby.messagingServiceSid
        ✖ expected a Messaging Service SID (MG followed by 32 hex digits), received "MG123"
        hint: copy the MG… SID from the Twilio console (Messaging > Services)"
    `);
  });

  it("missing conversations", () => {
    expect(render("missing-conversations.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/missing-conversations.yaml:1:1 conversations
        ✖ missing key "conversations"
        hint: add conversations: with one entry per conversation, or conversations: {} for none"
    `);
  });

  it("protect quoted boolean", () => {
    expect(render("protect-quoted-boolean.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/protect-quoted-boolean.yaml:3:5 conversations.lobby.protect
        ✖ expected a boolean, received a string
        hint: write true or false, without quotes"
    `);
  });

  it("renamed from not a name", () => {
    expect(render("renamed-from-not-a-name.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/renamed-from-not-a-name.yaml:3:5 conversations.helpdesk.renamedFrom
        ✖ renamedFrom must be a logical name, received "Support Desk"
        hint: write the conversation's previous key under conversations, e.g. renamedFrom: support"
    `);
  });

  it("renamed from still declared", () => {
    expect(render("renamed-from-still-declared.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/renamed-from-still-declared.yaml:5:5 conversations.helpdesk.renamedFrom
        ✖ renamedFrom "support" is still declared as a conversation
        hint: renamedFrom names the key the conversation had before; remove it, or rename the other entry

      test/fixtures/invalid/renamed-from-still-declared.yaml:7:5 conversations.lobby.renamedFrom
        ✖ renamedFrom "lobby" is this conversation's own name
        hint: renamedFrom names the key the conversation had before; remove it, or rename the other entry

      test/fixtures/invalid/renamed-from-still-declared.yaml:11:5 conversations.sales-eu.renamedFrom
        ✖ renamedFrom "old-sales" is already claimed by conversation "sales"
        hint: one conversation can take over a previous name; remove renamedFrom from one of them"
    `);
  });

  it("seed messages in production", () => {
    expect(render("seed-messages-in-production.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/seed-messages-in-production.yaml:5:5 conversations.lobby.messages
        ✖ seed messages are refused in a production stack (guards.production: true)
        hint: remove the messages from this stack, or seed them in a non-production stack"
    `);
  });

  it("service not a sid", () => {
    expect(render("service-not-a-sid.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/service-not-a-sid.yaml:1:1 service
        ✖ expected "default" or a Conversation Service SID (IS followed by 32 hex digits), received "my-service"
        hint: write service: default, or copy the IS… SID from the Twilio console (Conversations > Manage > Services), or declare one as service: { friendlyName: … }"
    `);
  });

  it("several documents", () => {
    expect(render("several-documents.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/several-documents.yaml:1:1
        ✖ expected a single document in the stream, but found more
        hint: a stack file is one YAML document; remove the extra --- sections"
    `);
  });

  it("snake case key", () => {
    expect(render("snake-case-key.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/snake-case-key.yaml:3:5 conversations.lobby.friendly_name
        ✖ unknown key "friendly_name"
        hint: did you mean friendlyName?"
    `);
  });

  it("state close to enum", () => {
    expect(render("state-close-to-enum.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/state-close-to-enum.yaml:3:5 conversations.lobby.state
        ✖ expected one of active, inactive, closed, received "inactiv"
        hint: did you mean inactive?"
    `);
  });

  it("state not in enum", () => {
    expect(render("state-not-in-enum.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/state-not-in-enum.yaml:3:5 conversations.lobby.state
        ✖ expected one of active, inactive, closed, received "open"
        hint: use one of active, inactive, closed"
    `);
  });

  it("subject too long", () => {
    expect(render("subject-too-long.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/subject-too-long.yaml:5:9 conversations.lobby.messages[0].subject
        ✖ subject is 257 characters long; Twilio allows at most 256
        hint: shorten it"
    `);
  });

  it("timer closed below minimum", () => {
    expect(render("timer-closed-below-minimum.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/timer-closed-below-minimum.yaml:4:31 conversations.lobby.timers.closed
        ✖ the closed timer "PT5M" is shorter than Twilio's minimum of 10 minutes
        hint: use PT10M or longer"
    `);
  });

  it("timer in months", () => {
    expect(render("timer-in-months.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/timer-in-months.yaml:4:15 conversations.lobby.timers.closed
        ✖ "P1M" counts in years or months, which have no fixed length
        hint: use weeks, days, hours or minutes instead, e.g. P30D"
    `);
  });

  it("timer inactive below minimum", () => {
    expect(render("timer-inactive-below-minimum.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/timer-inactive-below-minimum.yaml:4:15 conversations.lobby.timers.inactive
        ✖ the inactive timer "PT30S" is shorter than Twilio's minimum of 1 minute
        hint: use PT1M or longer"
    `);
  });

  it("timer not iso 8601", () => {
    expect(render("timer-not-iso-8601.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/timer-not-iso-8601.yaml:4:15 conversations.lobby.timers.inactive
        ✖ "1h" is not an ISO 8601 duration
        hint: write it like PT1M, PT10M, PT1H or P1D"
    `);
  });

  it("timers without state", () => {
    expect(render("timers-without-state.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/timers-without-state.yaml:3:5 conversations.lobby.timers
        ✖ timers are set but state is not
        hint: add state: active (Twilio refuses timers without a state, error 50382)"
    `);
  });

  it("top level not a mapping", () => {
    expect(render("top-level-not-a-mapping.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/top-level-not-a-mapping.yaml:1:1
        ✖ expected a mapping at the top level, received a list
        hint: a stack file is a mapping with conversations: and optional service:, defaults: and guards: (see examples/minimal.yaml)"
    `);
  });

  it("unique name looks like sid", () => {
    expect(render("unique-name-looks-like-sid.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unique-name-looks-like-sid.yaml:3:5 conversations.lobby.uniqueName
        ✖ uniqueName "CH0123456789abcdef0123456789abcdef" looks like a conversation SID
        hint: request paths take a SID or a unique name in the same place; choose a name that is not CH followed by 32 hex digits"
    `);
  });

  it("unique name not a path segment", () => {
    expect(render("unique-name-not-a-path-segment.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unique-name-not-a-path-segment.yaml:3:5 conversations.lobby.uniqueName
        ✖ uniqueName "support/general" contains "/", which cannot appear in a URL path segment
        hint: Twilio accepts the unique name in place of the SID in request paths, and its libraries put it there as written; remove the "/""
    `);
  });

  it("unique name number", () => {
    expect(render("unique-name-number.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unique-name-number.yaml:3:5 conversations.lobby.uniqueName
        ✖ expected a string, received a number
        hint: quote it: uniqueName: "2024""
    `);
  });

  it("unique name too long", () => {
    expect(render("unique-name-too-long.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unique-name-too-long.yaml:3:5 conversations.lobby.uniqueName
        ✖ uniqueName is 300 characters long; Twilio allows at most 256
        hint: shorten it"
    `);
  });

  it("unique name with question mark", () => {
    expect(render("unique-name-with-question-mark.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unique-name-with-question-mark.yaml:3:5 conversations.lobby.uniqueName
        ✖ uniqueName "who?" contains "?", which cannot appear in a URL path segment
        hint: Twilio accepts the unique name in place of the SID in request paths, and its libraries put it there as written; remove the "?""
    `);
  });

  it("unknown key conversation", () => {
    expect(render("unknown-key-conversation.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-conversation.yaml:3:5 conversations.lobby.uniqeName
        ✖ unknown key "uniqeName"
        hint: did you mean uniqueName?"
    `);
  });

  it("unknown key defaults", () => {
    expect(render("unknown-key-defaults.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-defaults.yaml:2:3 defaults.webhook
        ✖ unknown key "webhook"
        hint: did you mean webhooks?"
    `);
  });

  it("unknown key guards", () => {
    expect(render("unknown-key-guards.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-guards.yaml:2:3 guards.protected
        ✖ unknown key "protected"
        hint: did you mean protect?"
    `);
  });

  it("unknown key message", () => {
    expect(render("unknown-key-message.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-message.yaml:4:9 conversations.lobby.messages[0].autor
        ✖ unknown key "autor"
        hint: did you mean author?"
    `);
  });

  it("unknown key timers", () => {
    expect(render("unknown-key-timers.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-timers.yaml:5:7 conversations.lobby.timers.inactve
        ✖ unknown key "inactve"
        hint: did you mean inactive?"
    `);
  });

  it("unknown key top level", () => {
    expect(render("unknown-key-top-level.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-top-level.yaml:1:1 conversation
        ✖ unknown key "conversation"
        hint: did you mean conversations?"
    `);
  });

  it("unknown key without close match", () => {
    expect(render("unknown-key-without-close-match.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-without-close-match.yaml:2:3 guards.colour
        ✖ unknown key "colour"
        hint: remove it; keys allowed here: production, protect"
    `);
  });

  it("participant identity and address", () => {
    expect(render("participant-identity-and-address.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/participant-identity-and-address.yaml:6:9 conversations.lobby.participants.ada.messagingBinding
        ✖ a participant has an identity or a messaging binding address, not both
        hint: Twilio refuses both (error 50211): declare two participants, or keep one"
    `);
  });

  it("participant identity twice", () => {
    expect(render("participant-identity-twice.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/participant-identity-twice.yaml:5:19 conversations.lobby.participants.lovelace.identity
        ✖ participant "lovelace" has the same identity as participant "ada"
        hint: Twilio holds one participant per identity and per binding in a conversation; declare it once"
    `);
  });

  it("author participant unknown", () => {
    expect(render("author-participant-unknown.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/author-participant-unknown.yaml:7:19 conversations.lobby.messages[0].author.participant
        ✖ "adda" is not a participant of this conversation
        hint: did you mean ada?"
    `);
  });

  it("scoped webhook filter misspelt", () => {
    expect(render("scoped-webhook-filter-misspelt.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/scoped-webhook-filter-misspelt.yaml:7:19 conversations.lobby.scopedWebhooks.crm.filters[0]
        ✖ "onMessageAdd" is not an event a conversation-scoped webhook filters on
        hint: did you mean onMessageAdded?"
    `);
  });

  it("scoped webhook missing filters", () => {
    expect(render("scoped-webhook-missing-filters.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/scoped-webhook-missing-filters.yaml:4:7 conversations.lobby.scopedWebhooks.crm
        ✖ a webhook with target webhook needs filters
        hint: add filters, or choose another target"
    `);
  });

  it("participants a list", () => {
    expect(render("participants-a-list.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/participants-a-list.yaml:3:5 conversations.lobby.participants
        ✖ expected a mapping, received a list
        hint: write participants as YAML key: value pairs, e.g. participants: { ada: { identity: ada } }"
    `);
  });

  it("webhooks yes", () => {
    expect(render("webhooks-yes.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/webhooks-yes.yaml:2:3 defaults.webhooks
        ✖ expected a boolean, received a string
        hint: YAML 1.2 reads yes as text; write true or false"
    `);
  });

  it("yaml syntax error", () => {
    expect(render("yaml-syntax-error.yaml")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/yaml-syntax-error.yaml:4:5
        ✖ deficient indentation
           1 | conversations:
           2 |   lobby:
           3 |     friendlyName: [Lobby
           4 |     state: active
          ---------^
        hint: fix the YAML syntax at the marked position"
    `);
  });

  describe("hostile files are refused with a position, before anything walks the document", () => {
    it("alias bomb", () => {
      expect(render("alias-bomb.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/alias-bomb.yaml:8:51 conversations.lobby.attributes.l4[7]
          ✖ aliases up to *a3 expand the document by more than 100000 values
          hint: aliases that repeat other aliases multiply; write the values out, or reuse them fewer times"
      `);
    });

    it("alias cycle", () => {
      expect(render("alias-cycle.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/alias-cycle.yaml:2:31 conversations.c1.attributes.again
          ✖ the alias *x refers to a node that contains it, so its value would never end
          hint: write the values out instead of referring back to an enclosing &x"
      `);
    });

    it("__proto__ as a conversation name", () => {
      expect(render("proto-conversation-name.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/proto-conversation-name.yaml:2:3 conversations.__proto__
          ✖ "__proto__" cannot be used as a key
          hint: JavaScript treats __proto__ as an object's prototype, so the entry would be lost; rename it"
      `);
    });

    it("__proto__ as an attribute key", () => {
      expect(render("proto-attribute-key.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/proto-attribute-key.yaml:4:7 conversations.lobby.attributes.__proto__
          ✖ "__proto__" cannot be used as a key
          hint: JavaScript treats __proto__ as an object's prototype, so the entry would be lost; rename it"
      `);
    });

    it("__proto__ as a content variable name", () => {
      expect(render("proto-content-variable-key.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/proto-content-variable-key.yaml:6:11 conversations.lobby.messages[0].contentVariables.__proto__
          ✖ "__proto__" cannot be used as a key
          hint: JavaScript treats __proto__ as an object's prototype, so the entry would be lost; rename it"
      `);
    });

    it("numbers JSON cannot carry exactly", () => {
      expect(render("number-not-exact-in-json.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/number-not-exact-in-json.yaml:4:14 conversations.lobby.attributes.order
          ✖ the number 12345678901234567890 cannot be carried exactly in JSON: it would become 12345678901234567000
          hint: quote it to keep it as text: "12345678901234567890"

        test/fixtures/invalid/number-not-exact-in-json.yaml:5:13 conversations.lobby.attributes.huge
          ✖ the number 1e400 cannot be carried exactly in JSON: it would become text, as it is too large for a number
          hint: quote it to keep it as text: "1e400"

        test/fixtures/invalid/number-not-exact-in-json.yaml:6:13 conversations.lobby.attributes.tiny
          ✖ the number 1.0e-400 cannot be carried exactly in JSON: it would become 0
          hint: quote it to keep it as text: "1.0e-400"

        test/fixtures/invalid/number-not-exact-in-json.yaml:7:16 conversations.lobby.attributes.endless
          ✖ the number .inf cannot be carried exactly in JSON: it would become null, as JSON has no infinity or NaN
          hint: quote it to keep it as text: ".inf""
      `);
    });

    it("bytes that are not UTF-8", () => {
      expect(render("not-utf-8.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/not-utf-8.yaml:3:22
          ✖ byte 0xE9 is not valid UTF-8
          hint: save the file as UTF-8; it may be in Latin-1 or Windows-1252, where such bytes stand for accented letters"
      `);
    });

    it("closed timer above the maximum", () => {
      expect(render("timer-closed-above-maximum.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/timer-closed-above-maximum.yaml:5:7 conversations.lobby.timers.closed
          ✖ the closed timer "P99999999999999W" is longer than 36500 days (about 100 years)
          hint: Twilio turns a timer into a date; use P36500D or less"
      `);
    });

    it("unique names not usable in a request path", () => {
      expect(render("unique-name-not-usable-in-a-path.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/unique-name-not-usable-in-a-path.yaml:3:5 conversations.a.uniqueName
          ✖ uniqueName "" is empty
          hint: give the conversation a name, or remove uniqueName to leave it without one

        test/fixtures/invalid/unique-name-not-usable-in-a-path.yaml:5:5 conversations.b.uniqueName
          ✖ uniqueName " " is blank
          hint: give the conversation a name, or remove uniqueName to leave it without one

        test/fixtures/invalid/unique-name-not-usable-in-a-path.yaml:7:5 conversations.c.uniqueName
          ✖ uniqueName "room#1" contains "#", which cannot appear in a URL path segment
          hint: Twilio accepts the unique name in place of the SID in request paths, and its libraries put it there as written; remove the "#"

        test/fixtures/invalid/unique-name-not-usable-in-a-path.yaml:9:5 conversations.d.uniqueName
          ✖ uniqueName "." is a relative path segment, which URLs collapse
          hint: Twilio accepts the unique name in place of the SID in request paths, where . and .. would address another resource; choose another name

        test/fixtures/invalid/unique-name-not-usable-in-a-path.yaml:11:5 conversations.e.uniqueName
          ✖ uniqueName ".." is a relative path segment, which URLs collapse
          hint: Twilio accepts the unique name in place of the SID in request paths, where . and .. would address another resource; choose another name"
      `);
    });

    it("friendly name of 129 emoji, counted as Twilio counts", () => {
      expect(render("friendly-name-emoji-too-long.yaml")).toMatchInlineSnapshot(`
        "test/fixtures/invalid/friendly-name-emoji-too-long.yaml:3:5 conversations.lobby.friendlyName
          ✖ friendlyName is 258 characters long as Twilio counts (each of its 129 emoji or other characters beyond U+FFFF counts 2); Twilio allows at most 256
          hint: shorten it"
      `);
    });
  });

  afterAll(() => {
    const fixtures = readdirSync(FIXTURES).filter((file) => file.endsWith(".yaml"));
    expect(fixtures.filter((file) => !rendered.has(file))).toEqual([]);
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });
});
