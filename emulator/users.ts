// Conversation Users (/v1/Users and /v1/Services/{ChatServiceSid}/Users): the rules Twilio
// documents for them, their wire shape and their handlers.
//
// Sources: the spec ([S]) for fields (Identity required, not updatable; the instance `{Sid}` is the
// `US…` SID or the identity), page sizes and the response schema; the Programmable Chat user error
// pages https://www.twilio.com/docs/api/errors/50201, 50203, 50204, 50206, 50207; the Frontline
// page https://www.twilio.com/docs/api/errors/48033 (a chat identity: at most 256 characters, not
// matching US[0-9a-f]{32}, not one of the reserved system, private, unique); [CL-APS] (user
// create, update and delete share the service's 30 writes per second).
import { errors } from "./errors";
import { apsKeys } from "./rate-limit";
import { created, listOfService, noContent, ok, requireAps, resolveService, type Context, type Result } from "./handlers";
import type { Store, UserRecord } from "./records";
import { serviceUrl } from "./representation";
import { optionalSid, type Form } from "./rules";
import { deleteUser, findUser, insertUser, updateRecord, usersOf, type NewUser } from "./store";
import { SID_PATTERNS, formatDate, isJson } from "./values";

export const USER_LIMITS = {
  identityChars: 256,
  /** [S]: the list's PageSize is 1–50, default 50. */
  pageSizes: { max: 50, default: 50 },
} as const;

/** Identities Twilio keeps for itself (48033, for a chat identity; inferred for Users). */
const RESERVED_IDENTITIES = new Set(["system", "private", "unique"]);
/** 50206 / 48033 give the pattern with lower-case hex. */
const USER_SID_LIKE = /^US[0-9a-f]{32}$/;

const has = (form: Form, key: string) => Object.prototype.hasOwnProperty.call(form, key);

function identity(form: Form): string {
  const value = has(form, "Identity") ? form.Identity : "";
  if (value === "") throw errors.identityMissing();
  if (value.length > USER_LIMITS.identityChars) throw errors.identityTooLong(USER_LIMITS.identityChars);
  if (USER_SID_LIKE.test(value)) throw errors.identityLikeUserSid();
  if (RESERVED_IDENTITIES.has(value)) throw errors.identityReserved(value);
  return value;
}

/** The fields a create or update sets; an empty FriendlyName or RoleSid clears it. */
function userChanges(form: Form): Partial<Pick<UserRecord, "friendlyName" | "attributes" | "roleSid">> {
  const changes: Partial<Pick<UserRecord, "friendlyName" | "attributes" | "roleSid">> = {};
  if (has(form, "FriendlyName")) changes.friendlyName = form.FriendlyName === "" ? null : form.FriendlyName;
  if (has(form, "Attributes")) {
    if (!isJson(form.Attributes)) throw errors.attributesNotJson();
    changes.attributes = form.Attributes;
  }
  const roleSid = optionalSid(form, "RoleSid", SID_PATTERNS.role);
  if (roleSid !== undefined) changes.roleSid = roleSid;
  return changes;
}

export function newUserFields(form: Form, serviceSid: string, now: number): NewUser {
  return {
    serviceSid,
    identity: identity(form),
    friendlyName: null,
    attributes: null,
    // The emulator keeps no Roles: a user without RoleSid has none (Twilio gives the service's default user role).
    roleSid: null,
    ...userChanges(form),
    dateCreated: now,
    dateUpdated: now,
  };
}

/** The URL of a user on the default path (`/v1/Users/US…`) or the service-scoped one. */
function userUrl(origin: string, user: UserRecord, scoped: boolean): string {
  return `${scoped ? serviceUrl(origin, user.serviceSid) : `${origin}/v1`}/Users/${user.sid}`;
}

export function userJson(user: UserRecord, origin: string, accountSid: string, scoped: boolean) {
  const url = userUrl(origin, user, scoped);
  return {
    sid: user.sid,
    account_sid: accountSid,
    chat_service_sid: user.serviceSid,
    role_sid: user.roleSid,
    identity: user.identity,
    friendly_name: user.friendlyName,
    attributes: user.attributes ?? "{}",
    // [S]: null when the service's reachability is off (the emulator keeps no reachability), and
    // always null in a list.
    is_online: null,
    is_notifiable: null,
    date_created: formatDate(user.dateCreated),
    date_updated: formatDate(user.dateUpdated),
    url,
    links: { user_conversations: `${url}/Conversations` },
  };
}

function json(ctx: Context, user: UserRecord) {
  return userJson(user, ctx.origin, ctx.accountSid, ctx.params.serviceSid !== undefined);
}

/** Every user in the store, for the admin state dump (scoped URLs outside the default service). */
export function dumpUsers(store: Store, origin: string, accountSid: string) {
  return [...store.users.values()].map((user) => userJson(user, origin, accountSid, user.serviceSid !== store.defaultServiceSid));
}

// Handlers

export function createUser(ctx: Context): Result {
  const service = resolveService(ctx);
  requireAps(ctx, apsKeys.service(service.sid));
  const fields = newUserFields(ctx.form, service.sid, ctx.now);
  if (findUser(ctx.store, service.sid, fields.identity)) throw errors.duplicateIdentity();
  return created(json(ctx, insertUser(ctx.store, fields)));
}

function resolveUser(ctx: Context): UserRecord {
  const user = findUser(ctx.store, resolveService(ctx).sid, ctx.params.sid);
  if (!user) throw errors.notFound(ctx.path);
  return user;
}

export function fetchUser(ctx: Context): Result {
  return ok(json(ctx, resolveUser(ctx)));
}

/** `Identity` is not among the spec's update fields: like any unknown field, it is ignored. */
export function updateUserHandler(ctx: Context): Result {
  const user = resolveUser(ctx);
  requireAps(ctx, apsKeys.service(user.serviceSid));
  return ok(json(ctx, updateRecord(ctx.store, user, { ...userChanges(ctx.form), dateUpdated: ctx.now })));
}

export function deleteUserHandler(ctx: Context): Result {
  const user = resolveUser(ctx);
  requireAps(ctx, apsKeys.service(user.serviceSid));
  deleteUser(ctx.store, user);
  return noContent();
}

export function listUsers(ctx: Context): Result {
  return listOfService(ctx, "users", "Users", (serviceSid) => usersOf(ctx.store, serviceSid), (user) => json(ctx, user), USER_LIMITS.pageSizes);
}

export const USER_HANDLERS = {
  create: createUser,
  list: listUsers,
  fetch: fetchUser,
  update: updateUserHandler,
  remove: deleteUserHandler,
};
