// Address configurations (/v1/Configuration/Addresses[/{Sid}]): which of the account's addresses
// auto-create a conversation for an inbound message, and how. The emulator stores them; it receives
// no inbound messages, so it never auto-creates anything.
//
// Sources: the spec ([S]) for fields, enums, the `{Sid}` ("either the `sid` or the `address`"), page
// sizes and the response schema with its examples (the shape of `auto_creation` per type); the
// resource page https://www.twilio.com/docs/conversations/api/address-configuration-resource ("a
// unique address", "a single address … that belongs to your Twilio Account").
import {
  existingServiceSid,
  formBoolean,
  formEnum,
  formMethod,
  formUrl,
  formValues,
} from "./account";
import {
  deleteAddressConfiguration,
  findAddressConfiguration,
  insertAddressConfiguration,
  updateAccountRecord,
  type NewAddressConfiguration,
} from "./account-store";
import { errors } from "./errors";
import { created, listPage, noContent, ok, type Context, type Result } from "./handlers";
import type { AddressConfigurationRecord, AutoCreationRecord, Store } from "./records";
import { LIMITS, has, optionalText } from "./rules";
import { SID_PATTERNS, formatDate } from "./values";
import { WEBHOOK_FILTERS } from "./webhooks";

export const ADDRESS_TYPES = ["sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"] as const;
const AUTO_CREATION_TYPES = ["webhook", "studio", "default"] as const;

export const ADDRESS_LIMITS = {
  addressChars: 256,
  /** [S]: the list's PageSize is 1–50, default 50. */
  pageSizes: { max: 50, default: 50 },
} as const;

function requiredAddress(ctx: Context): string {
  const address = has(ctx.form, "Address") ? ctx.form.Address : "";
  if (address === "") throw errors.invalidParameter("Missing required parameter Address in the post body");
  if (address.length > ADDRESS_LIMITS.addressChars) throw errors.invalidParameter(`Address must be at most ${ADDRESS_LIMITS.addressChars} characters`);
  return address;
}

function addressCountry(ctx: Context): string | null {
  if (!has(ctx.form, "AddressCountry") || ctx.form.AddressCountry === "") return null;
  const country = ctx.form.AddressCountry;
  if (!/^[A-Za-z]{2}$/.test(country)) throw errors.invalidParameter("AddressCountry must be an ISO 3166-1 alpha-2 country code such as US");
  return country.toUpperCase();
}

/** `AutoCreation.*` fields applied to the current settings; the result is checked as a whole. */
function autoCreation(ctx: Context, current: AutoCreationRecord): AutoCreationRecord {
  const next: AutoCreationRecord = { ...current, webhookFilters: [...current.webhookFilters] };
  const enabled = formBoolean(ctx, "AutoCreation.Enabled");
  if (enabled !== undefined) next.enabled = enabled;
  const type = formEnum(ctx, "AutoCreation.Type", AUTO_CREATION_TYPES, errors.invalidParameter);
  if (type !== undefined) next.type = type;
  if (has(ctx.form, "AutoCreation.ConversationServiceSid")) {
    const sid = ctx.form["AutoCreation.ConversationServiceSid"];
    next.conversationServiceSid = sid === "" ? null : existingServiceSid(ctx.store, "AutoCreation.ConversationServiceSid", sid);
  }
  const url = formUrl(ctx, "AutoCreation.WebhookUrl");
  if (url !== undefined) next.webhookUrl = url;
  const method = formMethod(ctx, "AutoCreation.WebhookMethod");
  if (method !== undefined) next.webhookMethod = method;
  const filters = formValues(ctx, "AutoCreation.WebhookFilters");
  if (filters !== undefined) {
    // The filters of the conversation-scoped webhook an auto-created conversation gets (50365, inferred).
    const unknown = filters.find((filter) => !WEBHOOK_FILTERS.includes(filter));
    if (unknown !== undefined) throw errors.webhookFilterInvalid(unknown.slice(0, 100));
    next.webhookFilters = [...new Set(filters)];
  }
  if (has(ctx.form, "AutoCreation.StudioFlowSid")) {
    const sid = ctx.form["AutoCreation.StudioFlowSid"];
    if (sid !== "" && !SID_PATTERNS.studioFlow.test(sid)) throw errors.invalidParameter(`AutoCreation.StudioFlowSid must match ${SID_PATTERNS.studioFlow.source}`);
    next.studioFlowSid = sid === "" ? null : sid;
  }
  if (has(ctx.form, "AutoCreation.StudioRetryCount")) {
    const text = ctx.form["AutoCreation.StudioRetryCount"];
    const count = Number(text);
    if (text === "" || !/^\d{1,9}$/.test(text) || !Number.isSafeInteger(count)) {
      throw errors.invalidParameter("AutoCreation.StudioRetryCount must be an integer of 0 or more");
    }
    next.studioRetryCount = count;
  }
  // An enabled webhook or studio auto-creation needs somewhere to send (UNVERIFIED).
  if (next.enabled && next.type === "webhook" && next.webhookUrl === null) {
    throw errors.invalidParameter("AutoCreation.WebhookUrl is required for an enabled auto-creation of type webhook");
  }
  if (next.enabled && next.type === "studio" && next.studioFlowSid === null) {
    throw errors.invalidParameter("AutoCreation.StudioFlowSid is required for an enabled auto-creation of type studio");
  }
  return next;
}

const NO_AUTO_CREATION: AutoCreationRecord = {
  enabled: false,
  type: "default",
  conversationServiceSid: null,
  webhookUrl: null,
  webhookMethod: null,
  webhookFilters: [],
  studioFlowSid: null,
  studioRetryCount: null,
};

function newAddressConfiguration(ctx: Context): NewAddressConfiguration {
  if (!has(ctx.form, "Type") || ctx.form.Type === "") throw errors.invalidParameter("Missing required parameter Type in the post body");
  const type = formEnum(ctx, "Type", ADDRESS_TYPES, errors.invalidParameter)!;
  return {
    type,
    address: requiredAddress(ctx),
    friendlyName: optionalText(ctx.form, "FriendlyName", LIMITS.friendlyNameChars) ?? null,
    addressCountry: addressCountry(ctx),
    autoCreation: autoCreation(ctx, NO_AUTO_CREATION),
    dateCreated: ctx.now,
    dateUpdated: ctx.now,
  };
}

/** `auto_creation` as the spec's examples show it: the fields of its own type only. */
function autoCreationJson(settings: AutoCreationRecord) {
  const service = settings.conversationServiceSid === null ? {} : { conversation_service_sid: settings.conversationServiceSid };
  const base = { enabled: settings.enabled, type: settings.type, ...service };
  if (settings.type === "webhook") {
    return { ...base, webhook_url: settings.webhookUrl, webhook_method: settings.webhookMethod ?? "POST", webhook_filters: settings.webhookFilters };
  }
  if (settings.type === "studio") return { ...base, studio_flow_sid: settings.studioFlowSid, studio_retry_count: settings.studioRetryCount };
  return base;
}

export function addressConfigurationJson(record: AddressConfigurationRecord, origin: string, accountSid: string) {
  return {
    sid: record.sid,
    account_sid: accountSid,
    type: record.type,
    address: record.address,
    friendly_name: record.friendlyName,
    auto_creation: autoCreationJson(record.autoCreation),
    date_created: formatDate(record.dateCreated),
    date_updated: formatDate(record.dateUpdated),
    url: `${origin}/v1/Configuration/Addresses/${record.sid}`,
    address_country: record.addressCountry,
  };
}

export function dumpAddressConfigurations(store: Store, origin: string, accountSid: string) {
  return [...store.addressConfigurations.values()].map((record) => addressConfigurationJson(record, origin, accountSid));
}

// Handlers

const json = (ctx: Context, record: AddressConfigurationRecord) => addressConfigurationJson(record, ctx.origin, ctx.accountSid);

export function createAddressConfiguration(ctx: Context): Result {
  const fields = newAddressConfiguration(ctx);
  if (findAddressConfiguration(ctx.store, fields.address)) throw errors.addressConfigurationExists();
  return created(json(ctx, insertAddressConfiguration(ctx.store, fields)));
}

function resolveAddressConfiguration(ctx: Context): AddressConfigurationRecord {
  const record = findAddressConfiguration(ctx.store, ctx.params.sid);
  if (!record) throw errors.notFound(ctx.path);
  return record;
}

export function fetchAddressConfiguration(ctx: Context): Result {
  return ok(json(ctx, resolveAddressConfiguration(ctx)));
}

/** `Type`, `Address` and `AddressCountry` are not among the spec's update fields: ignored, like unknown fields. */
export function updateAddressConfiguration(ctx: Context): Result {
  const record = resolveAddressConfiguration(ctx);
  const friendlyName = optionalText(ctx.form, "FriendlyName", LIMITS.friendlyNameChars);
  const changes: Partial<AddressConfigurationRecord> = { autoCreation: autoCreation(ctx, record.autoCreation), dateUpdated: ctx.now };
  if (friendlyName !== undefined) changes.friendlyName = friendlyName;
  return ok(json(ctx, updateAccountRecord(ctx.store, record, changes)));
}

export function deleteAddressConfigurationHandler(ctx: Context): Result {
  deleteAddressConfiguration(ctx.store, resolveAddressConfiguration(ctx));
  return noContent();
}

export function listAddressConfigurations(ctx: Context): Result {
  const type = ctx.query.Type;
  const all = [...ctx.store.addressConfigurations.values()].sort((a, b) => a.seq - b.seq);
  const matching = type === undefined ? all : all.filter((record) => record.type === type.toLowerCase());
  return listPage(
    ctx,
    "address_configurations",
    `${ctx.origin}/v1/Configuration/Addresses`,
    type === undefined ? [] : [["Type", type]],
    matching,
    (record) => [record.seq, 0],
    false,
    (record) => json(ctx, record),
    ADDRESS_LIMITS.pageSizes,
  );
}

export const ADDRESS_CONFIGURATION_HANDLERS = {
  create: createAddressConfiguration,
  list: listAddressConfigurations,
  fetch: fetchAddressConfiguration,
  update: updateAddressConfiguration,
  remove: deleteAddressConfigurationHandler,
};
