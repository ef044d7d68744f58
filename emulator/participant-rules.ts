// Pure decisions for Conversation Participants: a request's form fields to the participant (or the
// changes) to store, or the Twilio error the real API answers. The rules that need the store (one
// identity per conversation, one non-closed conversation per binding, the counts) are in
// participant-handlers.ts. Sources: README.md, "Participants".
import { errors } from "./errors";
import type { NewParticipant } from "./participant-store";
import type { ParticipantBinding, ParticipantRecord } from "./records";
import { has, optionalAttributes, optionalDate, optionalSid, withoutUndefined, type Form } from "./rules";
import { SID_PATTERNS } from "./values";

export const PARTICIPANT_LIMITS = {
  // [D-lim]: Identity, MessagingBinding.Address and .ProxyAddress 256 characters, Attributes 4 KB.
  identityChars: 256,
  addressChars: 256,
  attributesBytes: 4 * 1024,
  // [D-lim]: up to 1000 participants, of which up to 50 non-chat; [D-gmms]: 10 in a Group MMS one.
  perConversation: 1000,
  nonChatPerConversation: 50,
  perGroupConversation: 10,
} as const;

const ADDRESS = "MessagingBinding.Address";
const PROXY_ADDRESS = "MessagingBinding.ProxyAddress";
const PROJECTED_ADDRESS = "MessagingBinding.ProjectedAddress";
/** On update, this value removes the proxy or projected address [S]. */
const REMOVE = "null";

const E164 = /^\+[1-9]\d{1,14}$/;
/** Group MMS works only on +1 (US and Canada) numbers [D-gmms]. */
const GROUP_MMS_NUMBER = /^\+1\d{10}$/;
/**
 * Channel prefixes: `whatsapp:` takes an E.164 number; RCS, Messenger and Google Business Messages
 * addresses are sender or page identifiers, so only non-empty. A bare address is an SMS number.
 */
const CHANNELS: Record<string, RegExp> = { whatsapp: E164, rcs: /^\S+$/, messenger: /^\S+$/, gbm: /^\S+$/ };

/** The channel an address is on (`sms`, `whatsapp`, …), or null when it is not a valid address. */
export function addressChannel(address: string): string | null {
  if (address.length > PARTICIPANT_LIMITS.addressChars) return null;
  const colon = address.indexOf(":");
  if (colon < 0) return E164.test(address) ? "sms" : null;
  const channel = address.slice(0, colon).toLowerCase();
  const syntax = CHANNELS[channel];
  return syntax?.test(address.slice(colon + 1)) ? channel : null;
}

function identityValue(value: string): string {
  if (value === "") throw errors.invalidParameter("Identity must not be empty");
  if (value.length > PARTICIPANT_LIMITS.identityChars) {
    throw errors.invalidParameter(`Identity must be at most ${PARTICIPANT_LIMITS.identityChars} characters`);
  }
  return value;
}

function groupMmsNumber(value: string, key: string): string {
  if (!GROUP_MMS_NUMBER.test(value)) {
    throw errors.invalidParameter(`${key} must be a +1 (US or Canada) number in E.164 format: Group MMS works only on +1 numbers`);
  }
  return value;
}

/** A proxy address for a participant at `address` on `channel`: 50412, 50408, 50409 as Twilio documents. */
function proxyAddressFor(address: string, channel: string, proxy: string): string {
  if (proxy === "") throw errors.participantProxyAddressEmpty();
  // The proxy must be a valid address of the participant's own channel [E-50408].
  if (addressChannel(proxy) !== channel) throw errors.participantProxyAddressInvalid(proxy);
  if (proxy === address) throw errors.participantAddressEqualsProxy();
  return proxy;
}

function newBinding(form: Form, hasIdentity: boolean): ParticipantBinding | null {
  const address = has(form, ADDRESS) ? form[ADDRESS] : undefined;
  const proxy = has(form, PROXY_ADDRESS) ? form[PROXY_ADDRESS] : undefined;
  const projected = has(form, PROJECTED_ADDRESS) ? form[PROJECTED_ADDRESS] : undefined;
  if (address !== undefined || proxy !== undefined) {
    // Identity with an address or a proxy address [E-50211].
    if (hasIdentity) throw errors.participantIdentityWithAddress();
    // A participant with a messaging binding can't have a projected address [E-50443] (inferred for create).
    if (projected !== undefined) throw errors.projectedAddressNotAddable();
    // An empty address is 50411 [E-50411]; a proxy address without one gets it too (inferred).
    if (address === undefined || address === "") throw errors.participantAddressEmpty();
    const channel = addressChannel(address);
    if (channel === null) throw errors.participantAddressInvalid(address);
    if (proxy !== undefined) {
      return { type: channel, address, proxyAddress: proxyAddressFor(address, channel, proxy), projectedAddress: null };
    }
    // Only an SMS number joins without a proxy address: a Group MMS participant [S] (createGmmsSmsNoAttributes).
    if (channel !== "sms") throw errors.participantProxyAddressEmpty();
    return { type: "sms", address: groupMmsNumber(address, ADDRESS), proxyAddress: null, projectedAddress: null };
  }
  if (projected === undefined) return null;
  // A chat participant's (or a bare Twilio number's) address in a Group MMS conversation [S] (createGmms).
  return { type: "sms", address: null, proxyAddress: null, projectedAddress: groupMmsNumber(projected, PROJECTED_ADDRESS) };
}

function optionalReadIndex(form: Form): number | null | undefined {
  if (!has(form, "LastReadMessageIndex")) return undefined;
  const value = form.LastReadMessageIndex;
  // nullable [S]; twilio-node sends null as an empty value.
  if (value === "" || value === REMOVE) return null;
  const index = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(index)) throw errors.invalidParameter("LastReadMessageIndex must be a non-negative integer");
  return index;
}

function optionalReadTimestamp(form: Form): string | null | undefined {
  if (!has(form, "LastReadTimestamp")) return undefined;
  // A plain string in the spec, kept as sent.
  return form.LastReadTimestamp === "" ? null : form.LastReadTimestamp;
}

export function newParticipantFields(form: Form, now: number): NewParticipant {
  const identity = has(form, "Identity") ? identityValue(form.Identity) : null;
  const binding = newBinding(form, identity !== null);
  // Identity is null only for a participant with a messaging binding, and the binding only for an SDK one [S].
  if (identity === null && binding === null) {
    throw errors.invalidParameter(`A participant needs Identity, ${ADDRESS} or ${PROJECTED_ADDRESS}`);
  }
  const dateCreated = optionalDate(form, "DateCreated") ?? now;
  return {
    identity,
    attributes: optionalAttributes(form, PARTICIPANT_LIMITS.attributesBytes) ?? null,
    binding,
    roleSid: optionalSid(form, "RoleSid", SID_PATTERNS.role) ?? null,
    lastReadMessageIndex: null,
    lastReadTimestamp: null,
    dateCreated,
    dateUpdated: optionalDate(form, "DateUpdated") ?? dateCreated,
  };
}

/** Identity on update: only a participant with a projected address and no identity takes one [E-50444]. */
function identityUpdate(form: Form, current: ParticipantRecord): string | undefined {
  if (!has(form, "Identity")) return undefined;
  const identity = identityValue(form.Identity);
  if (current.identity !== null || current.binding?.projectedAddress == null) throw errors.identityNotAddable();
  return identity;
}

function proxyUpdate(binding: ParticipantBinding | null, proxy: string): ParticipantBinding | null {
  if (proxy === REMOVE) {
    // Nothing to remove, or not an SMS participant [E-50440].
    if (binding?.proxyAddress == null || binding.type !== "sms") throw errors.proxyAddressNotRemovable();
    return { ...binding, proxyAddress: null };
  }
  // Only an address without a proxy address takes one [E-50441]; sending the one it has is refused
  // too (400 / 50441 quoted on twilio/terraform-provider-twilio#63).
  if (binding?.address == null || binding.proxyAddress !== null) throw errors.proxyAddressNotAddable();
  return { ...binding, proxyAddress: proxyAddressFor(binding.address, binding.type, proxy) };
}

function projectedUpdate(binding: ParticipantBinding | null, projected: string): ParticipantBinding | null {
  if (projected === REMOVE) {
    if (binding?.projectedAddress == null) throw errors.projectedAddressNotRemovable(); // [E-50442]
    // A projected address is a binding of its own: nothing is left.
    return null;
  }
  // Not for a participant that has a messaging binding [E-50443].
  if (binding !== null) throw errors.projectedAddressNotAddable();
  return { type: "sms", address: null, proxyAddress: null, projectedAddress: groupMmsNumber(projected, PROJECTED_ADDRESS) };
}

function bindingUpdate(form: Form, current: ParticipantRecord): ParticipantBinding | null | undefined {
  if (!has(form, PROXY_ADDRESS) && !has(form, PROJECTED_ADDRESS)) return undefined;
  let binding = current.binding;
  if (has(form, PROXY_ADDRESS)) binding = proxyUpdate(binding, form[PROXY_ADDRESS]);
  if (has(form, PROJECTED_ADDRESS)) binding = projectedUpdate(binding, form[PROJECTED_ADDRESS]);
  return binding;
}

export function participantUpdate(form: Form, current: ParticipantRecord, now: number): Partial<NewParticipant> {
  return withoutUndefined({
    identity: identityUpdate(form, current),
    binding: bindingUpdate(form, current),
    attributes: optionalAttributes(form, PARTICIPANT_LIMITS.attributesBytes),
    // An empty RoleSid clears it, as an empty MessagingServiceSid does on a conversation (UNVERIFIED).
    roleSid: optionalSid(form, "RoleSid", SID_PATTERNS.role),
    lastReadMessageIndex: optionalReadIndex(form),
    lastReadTimestamp: optionalReadTimestamp(form),
    dateCreated: optionalDate(form, "DateCreated"),
    dateUpdated: optionalDate(form, "DateUpdated") ?? now,
  });
}
