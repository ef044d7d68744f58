// The admin endpoints under /__emulator/: reset, the state dump, the clock, the request log and
// the fault rules.
import type { IncomingMessage, ServerResponse } from "node:http";
import { dumpAccountSettings } from "./account";
import { dumpAddressConfigurations } from "./address-configurations";
import { dumpCredentials } from "./credentials";
import { sendError, sendJson, type Emulation } from "./emulation";
import { errors } from "./errors";
import { validateFaultRules, type FaultRule } from "./faults";
import { readBody } from "./http";
import { dumpParticipants } from "./participant-representation";
import type { Store } from "./records";
import { conversationJson, messageJson, serviceJson } from "./representation";
import { dumpRoles } from "./roles";
import { dumpServiceConfigurations } from "./service-configuration";
import { fireDueTimers } from "./timers";
import { dumpUsers } from "./users";
import { dumpWebhooks } from "./webhooks";

export const ADMIN_PREFIX = "/__emulator/";

export interface Dump {
  services: unknown[];
  conversations: unknown[];
  messages: unknown[];
  participants: unknown[];
  users: unknown[];
  webhooks: unknown[];
  /** The account's configuration, webhook configuration, address configurations and push credentials (no secret). */
  account: unknown;
  roles: unknown[];
  /** Each service's configuration, notifications and webhooks singletons. */
  serviceConfigurations: unknown[];
}

export function dumpState(store: Store, origin: string, accountSid: string, now: number): Dump {
  fireDueTimers(store, now);
  const scoped = (serviceSid: string) => serviceSid !== store.defaultServiceSid;
  return {
    services: [...store.services.values()].map((service) => serviceJson(service, origin, accountSid)),
    conversations: [...store.conversations.values()].map((conversation) =>
      conversationJson(conversation, { origin, accountSid, scoped: scoped(conversation.serviceSid) }),
    ),
    messages: [...store.messages.values()].map((message) => ({
      ...messageJson(message, { origin, accountSid, scoped: scoped(message.serviceSid) }),
      // Not part of Twilio's message response, kept here so tests can see what was stored.
      chat_service_sid: message.serviceSid,
      subject: message.subject,
      content_variables: message.contentVariables,
    })),
    participants: dumpParticipants(store, origin, accountSid),
    users: dumpUsers(store, origin, accountSid),
    webhooks: dumpWebhooks(store, origin, accountSid),
    account: {
      ...dumpAccountSettings(store, origin, accountSid),
      address_configurations: dumpAddressConfigurations(store, origin, accountSid),
      credentials: dumpCredentials(store, origin, accountSid),
    },
    roles: dumpRoles(store, origin, accountSid),
    serviceConfigurations: dumpServiceConfigurations(store, origin, accountSid),
  };
}

function clockJson(emulation: Emulation) {
  const { clock } = emulation;
  return { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs() };
}

/** `{"advance": "PT2H" | ms}` or `{"to": "2030-01-01T00:00:00Z"}`; an empty body only reads the clock. */
function moveClock(emulation: Emulation, res: ServerResponse, body: string): void {
  const { clock } = emulation;
  let request: { advance?: unknown; to?: unknown };
  try {
    request = body.trim() === "" ? {} : (JSON.parse(body) as { advance?: unknown; to?: unknown });
    if (typeof request !== "object" || request === null || Array.isArray(request)) {
      throw new RangeError('expected a JSON object such as {"advance": "PT2H"} or {"to": "2030-01-01T00:00:00Z"}');
    }
    const { advance, to } = request;
    if (advance !== undefined && to !== undefined) throw new RangeError("give either advance or to, not both");
    if (advance !== undefined) clock.advance(typeof advance === "number" ? advance : String(advance));
    if (to !== undefined) clock.advanceTo(typeof to === "number" ? to : String(to));
  } catch (error) {
    return sendError(emulation, res, errors.badRequest((error as Error).message));
  }
  const changed = fireDueTimers(emulation.store(), clock.now());
  return sendJson(emulation, res, 200, {
    ...clockJson(emulation),
    changed: changed.map((conversation) => ({ sid: conversation.sid, state: conversation.state })),
  });
}

/** `PUT faults` replaces the rules, `POST faults` adds to them. */
function setFaults(emulation: Emulation, res: ServerResponse, method: string, body: string): void {
  let rules: FaultRule[];
  try {
    rules = validateFaultRules(JSON.parse(body || "[]"));
  } catch (error) {
    return sendError(emulation, res, errors.badRequest((error as Error).message));
  }
  if (method === "PUT") emulation.faults.set(rules);
  else emulation.faults.add(rules);
  return sendJson(emulation, res, 200, emulation.faults.rules());
}

export async function handleAdmin(emulation: Emulation, req: IncomingMessage, res: ServerResponse, path: string, origin: string): Promise<void> {
  const body = await readBody(req);
  const method = req.method ?? "GET";
  const action = `${method} ${path.slice(ADMIN_PREFIX.length).replace(/\/$/, "")}`;
  switch (action) {
    case "POST reset":
      emulation.reset();
      return sendJson(emulation, res, 204, undefined);
    case "GET state":
      return sendJson(emulation, res, 200, dumpState(emulation.store(), origin, emulation.credentials.accountSid, emulation.clock.now()));
    case "GET clock":
      return sendJson(emulation, res, 200, clockJson(emulation));
    case "POST clock":
      return moveClock(emulation, res, body);
    case "GET requests":
      return sendJson(emulation, res, 200, emulation.requests());
    case "DELETE requests":
      emulation.clearRequests();
      return sendJson(emulation, res, 204, undefined);
    case "GET faults":
      return sendJson(emulation, res, 200, emulation.faults.rules());
    case "PUT faults":
    case "POST faults":
      return setFaults(emulation, res, method, body);
    case "DELETE faults":
      emulation.faults.clear();
      return sendJson(emulation, res, 204, undefined);
    default:
      return sendError(emulation, res, errors.notFound(`${method} ${path}`));
  }
}
