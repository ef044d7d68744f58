import { httpAnswer, testTransport } from "../../support/transport";
import { describe, expect, it } from "vitest";
import { requestUrl, sanitizedRequest, send, type TwilioRequest } from "../../../provider/client/http";
import { resolveSettings } from "../../../provider/config";
import { TwilioConversationsError } from "../../../provider/errors";
import {
  CONVERSATION_ANSWER,
  CONVERSATION_PAGE_ANSWER,
  conversationPath,
  MESSAGE_ANSWER,
  MESSAGE_PAGE_ANSWER,
  messagePath,
} from "../../../provider/client/wire";

const request = (path: string, method: TwilioRequest["method"] = "GET"): TwilioRequest => ({
  method,
  path,
  kind: "read",
  context: { operation: "read conversation", resource: "support" },
});

describe("requestUrl", () => {
  it.each([
    ["a SID", "https://conversations.twilio.com", conversationPath(null, "CH00000000000000000000000000000001"), "/v1/Conversations/CH00000000000000000000000000000001"],
    ["a name with reserved characters, one segment", "https://conversations.twilio.com", conversationPath(null, "a/b?c#d %"), "/v1/Conversations/a%2Fb%3Fc%23d%20%25"],
    ["a name that only looks encoded", "https://conversations.twilio.com", conversationPath(null, "%2e%2E"), "/v1/Conversations/%252e%252E"],
    ["a base URL with a path prefix", "http://127.0.0.1:8080/twilio", conversationPath("IS00000000000000000000000000000001", "x.y"), "/twilio/v1/Services/IS00000000000000000000000000000001/Conversations/x.y"],
    ["a message of a service", "https://conversations.twilio.com", messagePath("IS1", "CH2", "IM3"), "/v1/Services/IS1/Conversations/CH2/Messages/IM3"],
  ])("keeps the path of %s exactly", (_label, base, path, pathname) => {
    expect(requestUrl(base, request(path)).pathname).toBe(pathname);
  });

  it.each([
    [".", "/v1/Conversations/. would reach /v1/Conversations/"],
    ["..", "/v1/Conversations/.. would reach /v1/"],
    ["", "/v1/Conversations/ would reach /v1/Conversations/"],
  ])("refuses the unique name %j before anything is sent", (name, reach) => {
    expect(() => requestUrl("https://conversations.twilio.com", request(conversationPath(null, name)))).toThrow(
      `read conversation "support" failed: ${JSON.stringify(name)} cannot be one segment of a request path: GET ${reach}`,
    );
  });

  it("refuses a dot segment that arrives percent-encoded (the URL parser decodes %2e)", () => {
    expect(() => requestUrl("https://conversations.twilio.com", request("/v1/Conversations/%2E%2e"))).toThrow('".." cannot be one segment');
  });

  it("refuses a base URL with credentials, without repeating them", () => {
    const error = (() => {
      try {
        requestUrl("https://proxy-user:proxy-p4ssw0rd@conversations.example.com", request("/v1/Conversations"));
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("not refused");
    })();
    expect(error.message).toContain("the base URL https://conversations.example.com carries credentials in it, which are never sent");
    expect(error.message).not.toMatch(/proxy-user|proxy-p4ssw0rd/);
  });

  it("the sanitized copy of a request has method and URL only, never credentials", () => {
    const url = new URL("https://u:p4ss@conversations.twilio.com/v1/Conversations?PageSize=5");
    expect(sanitizedRequest({ ...request("/v1/Conversations", "POST"), form: { Attributes: "x" } }, url)).toEqual({
      method: "POST",
      url: "https://conversations.twilio.com/v1/Conversations?PageSize=5",
    });
  });
});

describe("answer shapes", () => {
  it.each([
    ["conversation", CONVERSATION_ANSWER, { sid: "CH00000000000000000000000000000001" }, true],
    ["conversation", CONVERSATION_ANSWER, { sid: "IM00000000000000000000000000000001" }, false],
    ["conversation", CONVERSATION_ANSWER, { conversations: [], meta: {} }, false],
    ["conversation", CONVERSATION_ANSWER, { message: "<html>" }, false],
    ["message", MESSAGE_ANSWER, { sid: "IM00000000000000000000000000000001" }, true],
    ["message", MESSAGE_ANSWER, { sid: 42 }, false],
    ["message", MESSAGE_ANSWER, {}, false],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { conversations: [{ sid: "CH1" }], meta: { key: "conversations" } }, true],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { conversations: [], meta: {} }, true],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { conversations: [] }, false],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { messages: [], meta: {} }, false],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { conversations: {}, meta: {} }, false],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { conversations: ["CH1"], meta: {} }, false],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { conversations: [], meta: null }, false],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { message: "<html>" }, false],
    ["conversation page", CONVERSATION_PAGE_ANSWER, { sid: "CH00000000000000000000000000000001" }, false],
    ["message page", MESSAGE_PAGE_ANSWER, { messages: [{ sid: "IM1" }], meta: { key: "messages" } }, true],
    ["message page", MESSAGE_PAGE_ANSWER, { conversations: [], meta: {} }, false],
    ["message page", MESSAGE_PAGE_ANSWER, { messages: [null], meta: {} }, false],
    ["message page", MESSAGE_PAGE_ANSWER, {}, false],
  ])("a %s answer accepts %j: %s", (_name, shape, json, accepted) => {
    expect(shape.accepts(json)).toBe(accepted);
  });
});

describe("send, given a 2xx that is not the resource", () => {
  it("fails with what came back, the request id and the sanitized request, and never retries", async () => {
    let calls = 0;
    const transport = testTransport({
      settings: resolveSettings(() => undefined, {
        TWILIO_ACCOUNT_SID: "AC" + "1".repeat(32),
        TWILIO_AUTH_TOKEN: "token-value-1234",
        TWILIO_CONVERSATIONS_BASE_URL: "https://conversations.example.test",
      }),
      exchange: async () => {
        calls++;
        return httpAnswer(200, '{"conversations":[],"meta":{"page":0}}', { "content-type": "application/json", "twilio-request-id": "RQ0123" });
      },
    });
    const error = await send(transport, { ...request(conversationPath(null, "support")), answer: CONVERSATION_ANSWER }).catch((caught) => caught);
    expect(error).toBeInstanceOf(TwilioConversationsError);
    expect(error.message).toMatchInlineSnapshot(`
      "read conversation "support" failed (HTTP 200): the answer is JSON without a SID: "{\\"conversations\\":[],\\"meta\\":{\\"page\\":0}}", not a conversation
      request id: RQ0123
      hint: check that TWILIO_CONVERSATIONS_BASE_URL / twilio:region point at Twilio's Conversations API (a proxy or a captive portal may have answered)"
    `);
    expect(error.request).toEqual({ method: "GET", url: "https://conversations.example.test/v1/Conversations/support" });
    expect(calls).toBe(1);
  });
});
