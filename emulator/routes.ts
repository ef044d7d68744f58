// The route table: path patterns of both families, each method mapped to the OpenAPI operationId
// it implements and its handler.
import * as account from "./account";
import * as addresses from "./address-configurations";
import * as credentials from "./credentials";
import * as h from "./handlers";
import type { Context, Result } from "./handlers";
import * as participants from "./participant-handlers";
import * as roles from "./roles";
import * as serviceConfiguration from "./service-configuration";
import * as users from "./users";
import * as webhooks from "./webhooks";

type Handler = (ctx: Context) => Result;

export interface Route {
  pattern: RegExp;
  methods: Partial<Record<"GET" | "POST" | "DELETE", { operationId: string; handler: Handler }>>;
}

const SCOPED = `/v1/Services/(?<serviceSid>[^/]+)`;

function route(path: string, methods: Route["methods"]): Route {
  return { pattern: new RegExp(`^${path}/?$`), methods };
}

/** The operationId namer of a path family: `CreateConversation` is `CreateServiceConversation` when scoped. */
function operations(scoped: boolean): (name: string) => string {
  return (name) => (scoped ? name.replace(/^(Create|List|Fetch|Update|Delete)/, "$1Service") : name);
}

function conversationRoutes(prefix: string, scoped: boolean): Route[] {
  const op = operations(scoped);
  const base = `${prefix}/Conversations`;
  const conversation = `${base}/(?<sid>[^/]+)`;
  const messages = `${base}/(?<conversationSid>[^/]+)/Messages`;
  return [
    route(base, {
      POST: { operationId: op("CreateConversation"), handler: h.createConversation },
      GET: { operationId: op("ListConversation"), handler: h.listConversations },
    }),
    route(conversation, {
      GET: { operationId: op("FetchConversation"), handler: h.fetchConversation },
      POST: { operationId: op("UpdateConversation"), handler: h.updateConversationHandler },
      DELETE: { operationId: op("DeleteConversation"), handler: h.deleteConversationHandler },
    }),
    route(messages, {
      POST: { operationId: op("CreateConversationMessage"), handler: h.createMessage },
      GET: { operationId: op("ListConversationMessage"), handler: h.listMessages },
    }),
    route(`${messages}/(?<sid>[^/]+)`, {
      GET: { operationId: op("FetchConversationMessage"), handler: h.fetchMessage },
      POST: { operationId: op("UpdateConversationMessage"), handler: h.updateMessage },
      DELETE: { operationId: op("DeleteConversationMessage"), handler: h.deleteMessageHandler },
    }),
    ...participantRoutes(base, op),
    ...resourceRoutes(`${base}/(?<conversationSid>[^/]+)/Webhooks`, "ConversationScopedWebhook", op, webhooks.WEBHOOK_HANDLERS),
  ];
}

/** The five operations of a resource: create and list on its list path, the rest on `{Sid}` below it. */
interface ResourceHandlers {
  create: Handler;
  list: Handler;
  fetch: Handler;
  update: Handler;
  remove: Handler;
}

/** `Create<Name>`, `List<Name>`, … (the spec's operationIds) on `list` and `list/{Sid}`. */
function resourceRoutes(list: string, name: string, op: (name: string) => string, handlers: ResourceHandlers): Route[] {
  const to = (verb: string, handler: Handler) => ({ operationId: op(verb + name), handler });
  const { create, list: read, fetch, update, remove } = handlers;
  return [
    route(list, { POST: to("Create", create), GET: to("List", read) }),
    route(`${list}/(?<sid>[^/]+)`, { GET: to("Fetch", fetch), POST: to("Update", update), DELETE: to("Delete", remove) }),
  ];
}

function userRoutes(prefix: string, scoped: boolean): Route[] {
  return resourceRoutes(`${prefix}/Users`, "User", operations(scoped), users.USER_HANDLERS);
}

function roleRoutes(prefix: string, scoped: boolean): Route[] {
  return resourceRoutes(`${prefix}/Roles`, "Role", operations(scoped), roles.ROLE_HANDLERS);
}

/** A service's configuration singletons: fetched with GET, changed with POST. */
function serviceConfigurationRoutes(): Route[] {
  const c = serviceConfiguration;
  const configuration = `${SCOPED}/Configuration`;
  return [
    route(configuration, {
      GET: { operationId: "FetchServiceConfiguration", handler: c.fetchServiceConfiguration },
      POST: { operationId: "UpdateServiceConfiguration", handler: c.updateServiceConfiguration },
    }),
    route(`${configuration}/Notifications`, {
      GET: { operationId: "FetchServiceNotification", handler: c.fetchServiceNotification },
      POST: { operationId: "UpdateServiceNotification", handler: c.updateServiceNotification },
    }),
    route(`${configuration}/Webhooks`, {
      GET: { operationId: "FetchServiceWebhookConfiguration", handler: c.fetchServiceWebhookConfiguration },
      POST: { operationId: "UpdateServiceWebhookConfiguration", handler: c.updateServiceWebhookConfiguration },
    }),
  ];
}

/** Conversation Participants; `{Sid}` is the `MB…` SID, or on fetch also the identity. */
function participantRoutes(base: string, op: (name: string) => string): Route[] {
  const list = `${base}/(?<conversationSid>[^/]+)/Participants`;
  return [
    route(list, {
      POST: { operationId: op("CreateConversationParticipant"), handler: participants.createParticipant },
      GET: { operationId: op("ListConversationParticipant"), handler: participants.listParticipants },
    }),
    route(`${list}/(?<sid>[^/]+)`, {
      GET: { operationId: op("FetchConversationParticipant"), handler: participants.fetchParticipant },
      POST: { operationId: op("UpdateConversationParticipant"), handler: participants.updateParticipantHandler },
      DELETE: { operationId: op("DeleteConversationParticipant"), handler: participants.deleteParticipantHandler },
    }),
  ];
}

export const ROUTES: readonly Route[] = [
  route("/v1/Configuration", {
    GET: { operationId: "FetchConfiguration", handler: account.fetchConfiguration },
    POST: { operationId: "UpdateConfiguration", handler: account.updateConfiguration },
  }),
  route("/v1/Configuration/Webhooks", {
    GET: { operationId: "FetchConfigurationWebhook", handler: account.fetchConfigurationWebhooks },
    POST: { operationId: "UpdateConfigurationWebhook", handler: account.updateConfigurationWebhooks },
  }),
  ...resourceRoutes("/v1/Configuration/Addresses", "ConfigurationAddress", (name) => name, addresses.ADDRESS_CONFIGURATION_HANDLERS),
  ...resourceRoutes("/v1/Credentials", "Credential", (name) => name, credentials.CREDENTIAL_HANDLERS),
  route("/v1/Services", {
    POST: { operationId: "CreateService", handler: h.createService },
    GET: { operationId: "ListService", handler: h.listServices },
  }),
  route("/v1/Services/(?<sid>[^/]+)", {
    GET: { operationId: "FetchService", handler: h.fetchService },
    DELETE: { operationId: "DeleteService", handler: h.deleteServiceHandler },
  }),
  ...conversationRoutes("/v1", false),
  ...conversationRoutes(SCOPED, true),
  ...userRoutes("/v1", false),
  ...userRoutes(SCOPED, true),
  ...roleRoutes("/v1", false),
  ...roleRoutes(SCOPED, true),
  ...serviceConfigurationRoutes(),
];

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export function matchRoute(path: string): Match | null {
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(match.groups ?? {})) {
      if (value !== undefined) params[name] = safeDecode(value);
    }
    return { route: candidate, params };
  }
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
