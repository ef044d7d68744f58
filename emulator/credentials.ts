// Push credentials (/v1/Credentials[/{Sid}]): what Twilio uses to send push notifications through
// APNs, GCM or FCM. The emulator sends no push notifications.
//
// Secrets (`Certificate`, `PrivateKey`, `ApiKey`, `Secret`) are write-only: Twilio answers only
// sid, account_sid, friendly_name, type, sandbox, the dates and url ([S], the credential schema).
// The emulator needs no secret to behave, so it never keeps one: a record holds a SHA-256
// fingerprint of each secret it was sent (so the admin state can tell that one was set or changed),
// never the value. The request log shows the secret fields as `[redacted]` (pipeline.ts).
//
// Sources: the spec ([S]) for fields, the type enum (`apn`, `gcm`, `fcm`; its examples send `GcM`
// and answer `gcm`), the 64-character friendly name, page sizes and the response schema (whose
// examples answer `sandbox` as the string `"False"`); the error pages
// https://www.twilio.com/docs/api/errors/70105 ("Invalid Type Specified in the Request", for
// credential types) and 21243 ("Credential Validation Error": "One of the parameters passed when
// creating or updating a Credential was incorrect").
import { formBoolean, formEnum, sha256 } from "./account";
import {
  deleteCredential,
  insertCredential,
  updateAccountRecord,
} from "./account-store";
import { errors } from "./errors";
import { created, listPage, noContent, ok, type Context, type Result } from "./handlers";
import type { CredentialFingerprints, CredentialRecord, Store } from "./records";
import { has } from "./rules";
import { formatDate } from "./values";

const TYPES = ["apn", "gcm", "fcm"] as const;

export const CREDENTIAL_LIMITS = {
  /** [S]: "It can be up to 64 characters long." */
  friendlyNameChars: 64,
} as const;

/** The form keys that carry secrets, and the fingerprint each one fills. */
export const SECRET_FIELDS: Readonly<Record<string, keyof CredentialFingerprints>> = {
  Certificate: "certificate",
  PrivateKey: "privateKey",
  ApiKey: "apiKey",
  Secret: "secret",
};

function friendlyName(ctx: Context): string | null | undefined {
  if (!has(ctx.form, "FriendlyName")) return undefined;
  const name = ctx.form.FriendlyName;
  if (name.length > CREDENTIAL_LIMITS.friendlyNameChars) {
    throw errors.credentialInvalid(`FriendlyName must be at most ${CREDENTIAL_LIMITS.friendlyNameChars} characters`);
  }
  return name === "" ? null : name;
}

/** Fingerprints of the secrets sent; an empty value clears one. The values go no further. */
function fingerprints(ctx: Context, current: CredentialFingerprints): CredentialFingerprints {
  const next = { ...current };
  for (const [key, field] of Object.entries(SECRET_FIELDS)) {
    if (has(ctx.form, key)) next[field] = ctx.form[key] === "" ? null : `sha256:${sha256(ctx.form[key])}`;
  }
  return next;
}

/** The changes a create or update makes, type excepted. */
function credentialChanges(ctx: Context, current: CredentialFingerprints): Partial<CredentialRecord> {
  const changes: Partial<CredentialRecord> = { fingerprints: fingerprints(ctx, current) };
  const name = friendlyName(ctx);
  if (name !== undefined) changes.friendlyName = name;
  const sandbox = formBoolean(ctx, "Sandbox", errors.credentialInvalid);
  if (sandbox !== undefined) changes.sandbox = sandbox;
  return changes;
}

const NO_SECRETS: CredentialFingerprints = { certificate: null, privateKey: null, apiKey: null, secret: null };

export function credentialJson(record: CredentialRecord, origin: string, accountSid: string) {
  return {
    sid: record.sid,
    account_sid: accountSid,
    friendly_name: record.friendlyName,
    type: record.type,
    // The spec's examples answer the string "False" (the schema's type is string).
    sandbox: record.sandbox ? "True" : "False",
    date_created: formatDate(record.dateCreated),
    date_updated: formatDate(record.dateUpdated),
    url: `${origin}/v1/Credentials/${record.sid}`,
  };
}

/** For the admin state dump: the answer plus which secrets were set (fingerprints only). */
export function dumpCredentials(store: Store, origin: string, accountSid: string) {
  return [...store.credentials.values()].map((record) => ({
    ...credentialJson(record, origin, accountSid),
    secret_fingerprints: {
      certificate: record.fingerprints.certificate,
      private_key: record.fingerprints.privateKey,
      api_key: record.fingerprints.apiKey,
      secret: record.fingerprints.secret,
    },
  }));
}

// Handlers

const json = (ctx: Context, record: CredentialRecord) => credentialJson(record, ctx.origin, ctx.accountSid);

export function createCredential(ctx: Context): Result {
  if (!has(ctx.form, "Type") || ctx.form.Type === "") throw errors.credentialTypeInvalid("Missing required parameter Type in the post body");
  const type = formEnum(ctx, "Type", TYPES, errors.credentialTypeInvalid)!;
  const record = insertCredential(ctx.store, {
    type,
    friendlyName: null,
    sandbox: false,
    fingerprints: NO_SECRETS,
    ...credentialChanges(ctx, NO_SECRETS),
    dateCreated: ctx.now,
    dateUpdated: ctx.now,
  });
  return created(json(ctx, record));
}

function resolveCredential(ctx: Context): CredentialRecord {
  const record = ctx.store.credentials.get(ctx.params.sid);
  if (!record) throw errors.notFound(ctx.path);
  return record;
}

export function fetchCredential(ctx: Context): Result {
  return ok(json(ctx, resolveCredential(ctx)));
}

/** Every create field may be sent again, `Type` included ([S]). */
export function updateCredential(ctx: Context): Result {
  const record = resolveCredential(ctx);
  const type = formEnum(ctx, "Type", TYPES, errors.credentialTypeInvalid);
  const changes = { ...credentialChanges(ctx, record.fingerprints), dateUpdated: ctx.now, ...(type === undefined ? {} : { type }) };
  return ok(json(ctx, updateAccountRecord(ctx.store, record, changes)));
}

export function deleteCredentialHandler(ctx: Context): Result {
  deleteCredential(ctx.store, resolveCredential(ctx));
  return noContent();
}

export function listCredentials(ctx: Context): Result {
  return listPage(
    ctx,
    "credentials",
    `${ctx.origin}/v1/Credentials`,
    [],
    [...ctx.store.credentials.values()].sort((a, b) => a.seq - b.seq),
    (record) => [record.seq, 0],
    false,
    (record) => json(ctx, record),
  );
}

export const CREDENTIAL_HANDLERS = {
  create: createCredential,
  list: listCredentials,
  fetch: fetchCredential,
  update: updateCredential,
  remove: deleteCredentialHandler,
};

/** A copy of a form or query with every secret value replaced, for the request log. */
export function withoutSecrets(fields: Record<string, string>): Record<string, string> {
  if (!Object.keys(SECRET_FIELDS).some((key) => has(fields, key))) return fields;
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(copy, key, { value: Object.prototype.hasOwnProperty.call(SECRET_FIELDS, key) ? "[redacted]" : value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
