// Account-level records in the store: the two configuration singletons (/v1/Configuration and
// /v1/Configuration/Webhooks), address configurations (one per address, with an address index) and
// push credentials. Like store.ts, every mutation is synchronous and marks what it touches for the
// state file; a singleton's SID is a fixed key that no Twilio SID can equal.
import {
  CONFIGURATION_KEY,
  CONFIGURATION_WEBHOOKS_KEY,
  type AccountConfigurationRecord,
  type AccountRecord,
  type AccountWebhooksRecord,
  type AddressConfigurationRecord,
  type CredentialRecord,
  type Store,
} from "./records";
import { newSid } from "./values";

function touch(store: Store, sid: string): void {
  store.touched?.add(sid);
}

export function accountConfiguration(store: Store): AccountConfigurationRecord {
  const saved = store.account.get(CONFIGURATION_KEY) as AccountConfigurationRecord | undefined;
  return {
    sid: CONFIGURATION_KEY,
    defaultMessagingServiceSid: null,
    defaultInactiveTimer: null,
    defaultClosedTimer: null,
    ...saved,
    // The store's default service backs /v1/Conversations; the record follows it.
    defaultChatServiceSid: store.defaultServiceSid,
  };
}

export function saveAccountConfiguration(store: Store, record: AccountConfigurationRecord): void {
  store.defaultServiceSid = record.defaultChatServiceSid;
  store.account.set(record.sid, record);
  touch(store, record.sid);
}

export function accountWebhooks(store: Store): AccountWebhooksRecord {
  const saved = store.account.get(CONFIGURATION_WEBHOOKS_KEY) as AccountWebhooksRecord | undefined;
  return saved ?? { sid: CONFIGURATION_WEBHOOKS_KEY, method: "POST", filters: [], preWebhookUrl: null, postWebhookUrl: null, target: "webhook" };
}

export function saveAccountWebhooks(store: Store, record: AccountWebhooksRecord): void {
  store.account.set(record.sid, record);
  touch(store, record.sid);
}

// Address configurations: one per address, account-wide.

export function findAddressConfiguration(store: Store, sidOrAddress: string): AddressConfigurationRecord | undefined {
  const bySid = store.addressConfigurations.get(sidOrAddress);
  if (bySid) return bySid;
  const sid = store.configuredAddresses.get(sidOrAddress);
  return sid === undefined ? undefined : store.addressConfigurations.get(sid);
}

export type NewAddressConfiguration = Omit<AddressConfigurationRecord, "sid" | "seq">;

export function insertAddressConfiguration(store: Store, fields: NewAddressConfiguration): AddressConfigurationRecord {
  const record: AddressConfigurationRecord = { ...fields, sid: newSid("IG"), seq: ++store.seq };
  store.addressConfigurations.set(record.sid, record);
  store.configuredAddresses.set(record.address, record.sid);
  touch(store, record.sid);
  return record;
}

export function deleteAddressConfiguration(store: Store, record: AddressConfigurationRecord): void {
  store.addressConfigurations.delete(record.sid);
  store.configuredAddresses.delete(record.address);
  touch(store, record.sid);
}

// Push credentials.

export function insertCredential(store: Store, fields: Omit<CredentialRecord, "sid" | "seq">): CredentialRecord {
  const record: CredentialRecord = { ...fields, sid: newSid("CR"), seq: ++store.seq };
  store.credentials.set(record.sid, record);
  touch(store, record.sid);
  return record;
}

export function deleteCredential(store: Store, record: CredentialRecord): void {
  store.credentials.delete(record.sid);
  touch(store, record.sid);
}

/** Applies changes to an address configuration or a credential (never its SID or address). */
export function updateAccountRecord<T extends AddressConfigurationRecord | CredentialRecord>(store: Store, record: T, changes: Partial<NoInfer<T>>): T {
  Object.assign(record, changes);
  touch(store, record.sid);
  return record;
}

export interface AccountSnapshot {
  /** Absent in state files written before account-level records were kept. */
  account?: AccountRecord[];
  addressConfigurations?: AddressConfigurationRecord[];
  credentials?: CredentialRecord[];
}

export function snapshotAccount(store: Store): Required<AccountSnapshot> {
  return {
    account: [...store.account.values()],
    addressConfigurations: [...store.addressConfigurations.values()],
    credentials: [...store.credentials.values()],
  };
}

export function restoreAccount(store: Store, saved: AccountSnapshot): void {
  for (const record of saved.account ?? []) store.account.set(record.sid, { ...record });
  const configuration = store.account.get(CONFIGURATION_KEY) as AccountConfigurationRecord | undefined;
  // A journal line that changed the default service holds it in the configuration record.
  if (configuration && store.services.has(configuration.defaultChatServiceSid)) store.defaultServiceSid = configuration.defaultChatServiceSid;
  for (const record of [...(saved.addressConfigurations ?? [])].sort((a, b) => a.seq - b.seq)) {
    store.addressConfigurations.set(record.sid, { ...record, autoCreation: { ...record.autoCreation } });
    store.configuredAddresses.set(record.address, record.sid);
  }
  for (const record of [...(saved.credentials ?? [])].sort((a, b) => a.seq - b.seq)) {
    store.credentials.set(record.sid, { ...record, fingerprints: { ...record.fingerprints } });
  }
}
