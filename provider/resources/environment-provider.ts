// The provider of the environment's resources, one kind at a time: thin effects around the pure
// decisions of diff/environment.ts, the wire of client/ and the kind's table.
import type * as pulumi from "@pulumi/pulumi";
import {
  createEnvironment,
  deleteEnvironment,
  fetchEnvironment,
  findEnvironment,
  findEnvironmentBy,
  updateEnvironment,
  type EnvironmentScope,
  type Observed,
} from "../client/environment";
import { listConversations } from "../client/conversations";
import type { Transport } from "../client/http";
import { intentKey } from "../client/intents";
import { formOf } from "../client/wire";
import { type EnvironmentKind } from "../domain/environment";
import { secretProperties } from "../domain/row";
import { environmentViolations } from "../domain/environment-rules";
import {
  declaredPaths,
  diffEnvironment,
  environmentInputs,
  fingerprint,
  holdsEveryDeclared,
  propertiesToSend,
  recordFound,
  refreshedValues,
  restoredValues,
  valuesOf,
  type EnvironmentInputs,
  type EnvironmentOutputs,
} from "../diff/environment";
import { TwilioConversationsError } from "../errors";
import { refuseUntrustedNotFound } from "./untrusted-not-found";

export function environmentProvider(kind: EnvironmentKind, transport: () => Transport): pulumi.dynamic.ResourceProvider {
  const context = (operation: string, inputs: { resourceName: string }) => ({ operation: `${operation} ${kind.noun}`, resource: inputs.resourceName });
  const scopeOf = (inputs: { chatServiceSid: string | null }): EnvironmentScope => ({ serviceSid: inputs.chatServiceSid });
  const sidOf = (id: string) => (kind.shape === "singleton" ? undefined : id);

  return {
    async check(_olds, news) {
      const failures = environmentViolations(kind.name, news).map(({ field, message, hint }) => ({
        property: field ?? "",
        reason: `${message}; ${hint}`,
      }));
      return { inputs: news, failures };
    },

    async diff(id, olds: EnvironmentOutputs, news) {
      settle(id, news);
      const { updates, replaces, recorded } = diffEnvironment(kind, olds, environmentInputs(kind, news));
      return { changes: updates.length + replaces.length + recorded.length > 0, replaces, deleteBeforeReplace: replacementClashes(kind, replaces) };
    },

    async create(raw) {
      const inputs = environmentInputs(kind, raw);
      const scope = scopeOf(inputs);
      if (kind.shape === "singleton") {
        const held = await fetchEnvironment(transport(), kind, scope, undefined, context("read", inputs));
        if (!held) throw notThere(kind, inputs, scope);
        const observed = await setDeclared(held, undefined, inputs, null);
        const id = `${kind.name}:${scope.serviceSid ?? observed.accountSid ?? "account"}`;
        return { id, outs: outputsOf(inputs, observed, true, recordFound(kind, null, held, inputs), null) };
      }
      const existing = await adoptable(inputs, scope);
      if (existing) {
        transport().claims.claim(existing.sid!, inputs.resourceName);
        // Twilio never answers secrets, so what an adopted object holds cannot be compared: it keeps
        // them, and the declared ones are recorded as held (sent once their value changes).
        const held = fingerprintsOf(inputs, null);
        const observed = await setDeclared(existing, existing.sid!, inputs, held);
        return { id: existing.sid!, outs: outputsOf(inputs, observed, true, recordFound(kind, null, existing, inputs), held) };
      }
      const creation = Object.fromEntries(Object.entries(inputs.values).filter(([, value]) => value !== null));
      const holdsDeclared = (held: Observed) => holdsEveryDeclared(kind, held, inputs);
      const made = await createEnvironment(transport(), kind, scope, creation, context("create", inputs), journalKey(kind, raw), holdsDeclared);
      return { id: made.sid!, outs: outputsOf(inputs, made, false, null, fingerprintsOf(inputs, null)) };
    },

    async read(id, olds: EnvironmentOutputs) {
      settle(id, olds);
      const observed = await fetchEnvironment(transport(), kind, scopeOf(olds), sidOf(id), context("read", olds));
      if (!observed) {
        refuseUntrustedNotFound(olds, transport().settings, context("read", olds));
        return { id: "" };
      }
      const props = { ...olds, ...observed };
      return { id, props, inputs: refreshedInputs(kind, olds, observed) };
    },

    async update(id, olds: EnvironmentOutputs, news) {
      const inputs = environmentInputs(kind, news);
      const observed = await setDeclared(olds as unknown as Observed, sidOf(id), inputs, olds.fingerprints);
      const found = olds.adopted ? recordFound(kind, olds.found, olds, inputs) : null;
      return { outs: outputsOf(inputs, observed, olds.adopted, found, fingerprintsOf(inputs, olds.fingerprints)) };
    },

    async delete(id, olds: EnvironmentOutputs) {
      settle(id, olds);
      const scope = scopeOf(olds);
      if (olds.adopted) {
        // It was there before the stack: put back what it no longer holds as found, never delete it.
        if (Object.keys(olds.found ?? {}).length === 0) return;
        const held = await fetchEnvironment(transport(), kind, scope, sidOf(id), context("read", olds));
        const values = held ? restoredValues(kind, olds.found ?? {}, held) : {};
        if (Object.keys(values).length > 0) await updateEnvironment(transport(), kind, scope, sidOf(id), formOf(kind.table, values), context("restore", olds));
        return;
      }
      if (kind.name === "service" && !olds.deleteWithConversations) await refuseHeldConversations(transport(), id, olds);
      const deleted = await deleteEnvironment(transport(), kind, scope, id, context("delete", olds));
      if (!deleted) refuseUntrustedNotFound(olds, transport().settings, context("delete", olds));
    },
  };

  /** The engine holds the object in state: its create intent is closed (see client/intents.ts). */
  function settle(id: string, props: object): void {
    const key = journalKey(kind, props as Record<string, unknown>);
    if (key) transport().intents?.settle(key, id);
  }

  /** Sends the declared values that differ from what Twilio holds (no request when none do). */
  async function setDeclared(held: Observed, sid: string | undefined, inputs: EnvironmentInputs, fingerprints: Record<string, string> | null): Promise<Observed> {
    const properties = propertiesToSend(kind, held, inputs, fingerprints);
    if (properties.length === 0) return held;
    const form = formOf(kind.table, valuesOf(inputs, properties));
    return updateEnvironment(transport(), kind, scopeOf(inputs), sid, form, context(kind.shape === "singleton" ? "set" : "update", inputs));
  }

  async function adoptable(inputs: EnvironmentInputs, scope: EnvironmentScope): Promise<Observed | null> {
    const keys = kind.naturalKey ? [kind.naturalKey] : (kind.adoptBy ?? []);
    const wanted = keys.map((key) => inputs.values[key]);
    if (inputs.adopt === "never" || keys.length === 0 || !wanted.every((value) => typeof value === "string")) return null;
    const lookup = context("look up", inputs);
    const found = kind.naturalKey
      ? await findEnvironment(transport(), kind, scope, wanted[0] as string, lookup)
      : await findEnvironmentBy(transport(), kind, scope, Object.fromEntries(keys.map((key, position) => [key, wanted[position]])), lookup);
    if (!found && inputs.adopt === "require") {
      const named = keys.map((key, position) => `${key} ${JSON.stringify(wanted[position])}`).join(" and ");
      throw new TwilioConversationsError(
        { ...context("adopt", inputs), hint: `create it first, fix the ${keys.join(" or ")}, or use \`adopt: ifExists\` to create it when missing` },
        { message: `no ${kind.noun} with ${named} exists` },
      );
    }
    return found;
  }

  function outputsOf(
    inputs: EnvironmentInputs,
    observed: Observed,
    adopted: boolean,
    found: Record<string, unknown> | null,
    fingerprints: Record<string, string> | null,
  ): EnvironmentOutputs {
    const recordedSecrets = secretProperties(kind.table);
    const held = Object.fromEntries(Object.entries(observed).filter(([property]) => !recordedSecrets.includes(property)));
    return {
      ...held,
      sid: observed.sid,
      url: observed.url,
      accountSid: observed.accountSid,
      resourceName: inputs.resourceName,
      chatServiceSid: inputs.chatServiceSid,
      adopt: inputs.adopt,
      deleteWithConversations: inputs.deleteWithConversations,
      adopted,
      found: adopted ? found : null,
      fingerprints,
      declared: declaredPaths(kind, inputs),
    };
  }

  function fingerprintsOf(inputs: EnvironmentInputs, previous: Record<string, string> | null): Record<string, string> | null {
    const secrets = secretProperties(kind.table);
    if (secrets.length === 0) return null;
    const fingerprints: Record<string, string> = { ...(previous ?? {}) };
    for (const property of secrets) {
      const value = inputs.values[property];
      if (value !== null && value !== undefined) fingerprints[property] = fingerprint(value);
    }
    return fingerprints;
  }
}

/**
 * Whether the replacement would clash with the object it replaces, which must then go first: only
 * where Twilio keeps the natural key unique (a user's identity, an address), the key stays and so
 * does the place (another service holds its own identities). Otherwise the replacement is made
 * first, so that whatever names the object (a configuration naming a role) moves to the new one
 * before the old one is deleted.
 */
export function replacementClashes(kind: EnvironmentKind, replaces: readonly string[]): boolean {
  if (replaces.length === 0 || !kind.naturalKeyUnique) return false;
  return !replaces.includes(kind.naturalKey!) && !replaces.includes("chatServiceSid");
}

/**
 * A resource's key in the create journal: its kind as well as its stack and name, since the stack
 * names a role, a user and a conversation by their keys alone, and two of them may share one.
 */
export function journalKey(kind: EnvironmentKind, inputs: Record<string, unknown>): string | null {
  const key = intentKey(inputs);
  return key === null ? null : `${key}#${kind.name}`;
}

/** After a refresh the inputs hold what Twilio holds for each declared value, so a plan shows drift against the file. */
function refreshedInputs(kind: EnvironmentKind, olds: EnvironmentOutputs, observed: Observed): Record<string, unknown> {
  return {
    resourceName: olds.resourceName,
    ...(olds.adopt && olds.adopt !== "never" ? { adopt: olds.adopt } : {}),
    ...(olds.chatServiceSid ? { chatServiceSid: olds.chatServiceSid } : {}),
    ...(olds.deleteWithConversations ? { deleteWithConversations: true } : {}),
    ...refreshedValues(kind, olds.declared ?? [], observed),
  };
}

function notThere(kind: EnvironmentKind, inputs: EnvironmentInputs, scope: EnvironmentScope): TwilioConversationsError {
  return new TwilioConversationsError(
    { operation: `read ${kind.noun}`, resource: inputs.resourceName, hint: "check the service SID: it must name a Conversation Service of this account" },
    { status: 404, message: `Twilio has no ${kind.noun} for ${scope.serviceSid ?? "the account"}` },
  );
}

/** A service that still holds conversations the stack does not declare is not deleted unless the stack says so. */
async function refuseHeldConversations(transport: Transport, serviceSid: string, olds: EnvironmentOutputs): Promise<void> {
  const conversations = await listConversations(transport, { serviceSid }, { operation: "list the conversations of service", resource: olds.resourceName });
  if (conversations.length === 0) return;
  const named = conversations.slice(0, 3).map((json) => String(json.unique_name ?? json.sid)).join(", ");
  throw new TwilioConversationsError(
    {
      operation: "delete service",
      resource: olds.resourceName,
      hint: "deleting the service deletes them with it: remove them first, or set `deleteWithConversations: true` on the service to delete them too",
    },
    { message: `service ${serviceSid} still holds ${conversations.length} conversation(s) that the stack does not declare (${named}${conversations.length > 3 ? ", …" : ""})` },
  );
}
