// Conversation Roles (/v1/Roles and /v1/Services/{ChatServiceSid}/Roles): the rules Twilio
// documents for them, their wire shape and their handlers.
//
// Sources: the spec ([S]) for the fields (FriendlyName, Type and Permission required on create; only
// Permission on update, replacing the whole set; the `{Sid}` pattern `^RL…`), the page sizes (1–50)
// and the response schema; the Role resource page https://www.twilio.com/docs/conversations/api/role-resource
// for the permission values of each type; Programmable Chat's role error pages
// https://www.twilio.com/docs/api/errors/50104 (permission not found) and 50105 (invalid role type);
// [CL-APS] (role writes share the service's 30 writes per second).
import { errors } from "./errors";
import { apsKeys } from "./rate-limit";
import { created, listOfService, noContent, ok, requireAps, resolveService, type Context, type Result } from "./handlers";
import type { RoleRecord, RoleType, Store } from "./records";
import { serviceUrl } from "./representation";
import { configurationOf, deleteRole, findRole, insertRole, rolesOf, updateRole } from "./role-store";
import { values as formValues } from "./webhooks";
import { SID_PATTERNS, formatDate } from "./values";

export const ROLE_LIMITS = {
  /** [S]: "It can be up to 64 characters long." */
  friendlyNameChars: 64,
  /** [S]: the list's PageSize is 1–50, default 50. */
  pageSizes: { max: 50, default: 50 },
} as const;

/** The role-resource page's service-scope permissions. */
const SERVICE_PERMISSIONS = [
  "addParticipant", "createConversation", "deleteAnyMessage", "deleteConversation", "editAnyMessage",
  "editAnyMessageAttributes", "editAnyUserInfo", "editConversationAttributes", "editConversationName",
  "editOwnMessage", "editOwnMessageAttributes", "editOwnUserInfo", "joinConversation", "removeParticipant",
];

/**
 * The role-resource page's conversation-scope permissions, plus four that a Terraform provider for
 * Conversations accepts for roles (addNonChatParticipant, editAnyParticipantAttributes,
 * editOwnParticipantAttributes, editNotificationLevel; UNVERIFIED).
 */
const CONVERSATION_PERMISSIONS = [
  "addParticipant", "deleteAnyMessage", "deleteOwnMessage", "deleteConversation", "editAnyMessage",
  "editAnyMessageAttributes", "editAnyUserInfo", "editConversationAttributes", "editConversationName",
  "editOwnMessage", "editOwnMessageAttributes", "editOwnUserInfo", "leaveConversation", "removeParticipant",
  "sendMediaMessage", "sendMessage",
  "addNonChatParticipant", "editAnyParticipantAttributes", "editOwnParticipantAttributes", "editNotificationLevel",
];

export const ROLE_PERMISSIONS: Readonly<Record<RoleType, readonly string[]>> = {
  service: SERVICE_PERMISSIONS,
  conversation: CONVERSATION_PERMISSIONS,
};

const has = (ctx: Context, key: string) => Object.prototype.hasOwnProperty.call(ctx.form, key);

function friendlyName(ctx: Context): string {
  const value = has(ctx, "FriendlyName") ? ctx.form.FriendlyName : "";
  if (value === "") throw errors.invalidParameter("Missing required parameter FriendlyName in the post body");
  if (value.length > ROLE_LIMITS.friendlyNameChars) {
    throw errors.invalidParameter(`FriendlyName must be at most ${ROLE_LIMITS.friendlyNameChars} characters`);
  }
  return value;
}

function roleType(ctx: Context): RoleType {
  if (!has(ctx, "Type") || ctx.form.Type === "") throw errors.invalidParameter("Missing required parameter Type in the post body");
  const type = ctx.form.Type;
  if (type !== "conversation" && type !== "service") throw errors.roleTypeInvalid(type);
  return type;
}

/** Every `Permission` sent, each one of the type's values; a value sent twice is kept once (UNVERIFIED). */
function permissions(ctx: Context, type: RoleType): string[] {
  const list = formValues(ctx, "Permission");
  if (list === undefined) throw errors.invalidParameter("Missing required parameter Permission in the post body");
  const allowed = ROLE_PERMISSIONS[type];
  for (const permission of list) if (!allowed.includes(permission)) throw errors.permissionNotFound(permission, type);
  return [...new Set(list)];
}

/** The URL of a role on the default path (`/v1/Roles/RL…`) or the service-scoped one. */
function roleUrl(origin: string, role: RoleRecord, scoped: boolean): string {
  return `${scoped ? serviceUrl(origin, role.serviceSid) : `${origin}/v1`}/Roles/${role.sid}`;
}

export function roleJson(role: RoleRecord, origin: string, accountSid: string, scoped: boolean) {
  return {
    sid: role.sid,
    account_sid: accountSid,
    chat_service_sid: role.serviceSid,
    friendly_name: role.friendlyName,
    type: role.type,
    permissions: [...role.permissions],
    date_created: formatDate(role.dateCreated),
    date_updated: formatDate(role.dateUpdated),
    url: roleUrl(origin, role, scoped),
  };
}

function json(ctx: Context, role: RoleRecord) {
  return roleJson(role, ctx.origin, ctx.accountSid, ctx.params.serviceSid !== undefined);
}

/** Every role in the store, for the admin state dump (scoped URLs outside the default service). */
export function dumpRoles(store: Store, origin: string, accountSid: string) {
  return [...store.roles.values()].map((role) => roleJson(role, origin, accountSid, role.serviceSid !== store.defaultServiceSid));
}

// Handlers

export function createRole(ctx: Context): Result {
  const service = resolveService(ctx);
  requireAps(ctx, apsKeys.service(service.sid));
  const name = friendlyName(ctx);
  const type = roleType(ctx);
  const granted = permissions(ctx, type);
  return created(json(ctx, insertRole(ctx.store, { serviceSid: service.sid, friendlyName: name, type, permissions: granted, dateCreated: ctx.now, dateUpdated: ctx.now })));
}

function resolveRole(ctx: Context): RoleRecord {
  const serviceSid = resolveService(ctx).sid;
  const role = SID_PATTERNS.role.test(ctx.params.sid) ? findRole(ctx.store, serviceSid, ctx.params.sid) : undefined;
  if (!role) throw errors.notFound(ctx.path);
  return role;
}

export function fetchRole(ctx: Context): Result {
  return ok(json(ctx, resolveRole(ctx)));
}

/** [S]: Permission replaces every permission the role had; Type and FriendlyName can't change (ignored). */
export function updateRoleHandler(ctx: Context): Result {
  const role = resolveRole(ctx);
  requireAps(ctx, apsKeys.service(role.serviceSid));
  return ok(json(ctx, updateRole(ctx.store, role, { permissions: permissions(ctx, role.type), dateUpdated: ctx.now })));
}

/**
 * A role the service configuration names as a default can't be deleted: the configuration must name
 * roles of the service (the refusal and its bare 400 code are UNVERIFIED). Users and participants
 * holding the role keep its SID.
 */
export function deleteRoleHandler(ctx: Context): Result {
  const role = resolveRole(ctx);
  const configuration = configurationOf(ctx.store, role.serviceSid);
  const defaults = [
    configuration.defaultConversationCreatorRoleSid,
    configuration.defaultConversationRoleSid,
    configuration.defaultChatServiceRoleSid,
  ];
  if (defaults.includes(role.sid)) {
    throw errors.invalidParameter(`Role ${role.sid} is a default role of the service configuration; name another role there first`);
  }
  requireAps(ctx, apsKeys.service(role.serviceSid));
  deleteRole(ctx.store, role);
  return noContent();
}

export function listRoles(ctx: Context): Result {
  return listOfService(ctx, "roles", "Roles", (serviceSid) => rolesOf(ctx.store, serviceSid), (role) => json(ctx, role), ROLE_LIMITS.pageSizes);
}

export const ROLE_HANDLERS = {
  create: createRole,
  list: listRoles,
  fetch: fetchRole,
  update: updateRoleHandler,
  remove: deleteRoleHandler,
};
