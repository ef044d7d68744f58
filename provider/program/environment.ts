// From a validated stack file's environment to Pulumi resources: the service (declared, or an
// existing one configured), roles, users, the account's settings, address configurations and
// push credentials. References between them (a role named by its key, the stack's service) become
// outputs, so the engine orders creates and deletes by them.
import * as pulumi from "@pulumi/pulumi";
import { isSid } from "../domain/rules";
import type { StackSpec } from "../../schemas/stack";
import { STACK_SERVICE } from "../../schemas/environment";
import { isRecord } from "../../schemas/explain";
import { ENVIRONMENT_KINDS, kebabName, kindsPlacedIn, type EnvironmentCollectionSection, type EnvironmentKind, type Reference } from "../domain/environment";
import { environmentClass } from "../resources/environment-resource";
import type { TwilioSettings } from "../resources/args";

/** The SIDs of what the stack declares: its service, and each collection's entries by key (`roles`, `users`, …). */
export type EnvironmentOutputs = { service?: pulumi.Output<string> } & { [Section in EnvironmentCollectionSection]?: Record<string, pulumi.Output<string>> };

interface Placement {
  namePrefix?: string;
  parent?: pulumi.Resource;
  settings?: TwilioSettings;
}

/** What the conversations take from the environment: the service they go in, and the roles and users they may name. */
export interface EnvironmentReferences {
  serviceSid: pulumi.Input<string | null>;
  /** A role named by its key under roles, or by its SID. */
  roleSid(reference: string): pulumi.Input<string>;
  /** The identity of a user declared under users. */
  identityOf(userKey: string): string;
}

/**
 * The kinds in the order they are declared: those other entries name (roles) first, so that a
 * reference finds its resource; then the registry's order.
 */
function declarationOrder(): EnvironmentKind[] {
  const kinds = Object.values(ENVIRONMENT_KINDS);
  const named = new Set<string>(kinds.flatMap((kind) => Object.values(kind.references ?? {}).map((reference) => reference.to)));
  return [...kinds.filter((kind) => named.has(kind.name)), ...kinds.filter((kind) => !named.has(kind.name))];
}

/** A kind's entries in the stack file, each with the resource name it takes: a collection's by key, a single entry's by its kind. */
function entriesOf(spec: StackSpec, kind: EnvironmentKind): Array<[name: string, entry: Record<string, unknown>]> {
  let found: unknown = spec;
  for (const key of kind.at) {
    if (!isRecord(found)) return [];
    if (key === "*") return Object.entries(found).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]));
    found = found[key];
  }
  return isRecord(found) ? [[kebabName(kind.name), found]] : [];
}

/**
 * An entry as its resource's arguments: each of the table's keys under its property's name (a
 * reference resolved, a secret read from the config, a method in Twilio's capitals), the others
 * (adopt, …) as they are, and the service it lives in.
 */
function argsOf(kind: EnvironmentKind, entry: Record<string, unknown>, resolve: (reference: Reference, value: string) => pulumi.Input<string | null>, serviceSid: pulumi.Input<string | null>) {
  const args: Record<string, unknown> = kind.placement === "account" ? {} : { chatServiceSid: serviceSid };
  // The keys that hold other kinds' entries (a service's `configuration`) are no arguments of its own.
  const consumed = new Set(kindsPlacedIn(kind.at).map((nested) => nested.at[kind.at.length]));
  for (const [property, row] of Object.entries(kind.table)) {
    consumed.add(row.yaml);
    const value = entry[row.yaml];
    const reference = kind.references?.[property];
    if (value === undefined) continue;
    if (reference && typeof value === "string") args[property] = resolve(reference, value);
    else if (row.secret) args[property] = secretOf(value as { secret: string });
    else if (row.caseless?.includes("") && typeof value === "string") args[property] = value.toUpperCase();
    else args[property] = value;
  }
  for (const [key, value] of Object.entries(entry)) if (!consumed.has(key)) args[key] = value;
  return args;
}

/** Declares the environment; its conversations go in `serviceSid`. `outputs` is null when the file declares no environment. */
export function declareEnvironment(spec: StackSpec, placement: Placement): EnvironmentReferences & { outputs: EnvironmentOutputs | null } {
  const prefix = placement.namePrefix ?? "";
  const opts = { parent: placement.parent };
  const outputs: Record<string, unknown> = {};
  const declared = new Map<string, Map<string, pulumi.CustomResource>>();
  const { service } = spec;

  let serviceSid: pulumi.Input<string | null> = null;
  if (typeof service === "string") serviceSid = service === "default" ? null : service;
  else if (!("friendlyName" in service)) serviceSid = service.sid;

  const roleSidOf = (reference: string): pulumi.Input<string> => (isSid("role", reference) ? reference : declared.get("role")!.get(reference)!.id);
  const resolve = (reference: Reference, value: string) => (reference.to === "role" ? roleSidOf(value) : value === STACK_SERVICE ? serviceSid : value);

  for (const kind of declarationOrder()) {
    const made = new Map<string, pulumi.CustomResource>();
    for (const [name, entry] of entriesOf(spec, kind)) {
      // An entry that names an existing object by its SID (`service: { sid: IS… }`) is no resource: only what it nests is.
      if ("sid" in entry) continue;
      const args = { ...argsOf(kind, entry, resolve, serviceSid), settings: placement.settings };
      made.set(name, new (environmentClass(kind.name))(`${prefix}${name}`, args, opts));
    }
    declared.set(kind.name, made);
    if (kind.name === "service" && made.size) serviceSid = outputs.service = made.get("service")!.id;
    else if (kind.shape === "collection" && made.size) outputs[kind.at[0]] = Object.fromEntries([...made].map(([key, resource]) => [key, resource.id]));
  }

  const identityOf = (userKey: string) => spec.users![userKey].identity;
  return { serviceSid, roleSid: roleSidOf, identityOf, outputs: Object.keys(outputs).length ? (outputs as EnvironmentOutputs) : null };
}

/** A secret the stack file names by its config key (`key` or `namespace:key`), read as a Pulumi secret. */
function secretOf(reference: { secret: string }): pulumi.Output<string> {
  const at = reference.secret.indexOf(":");
  const config = at < 0 ? new pulumi.Config() : new pulumi.Config(reference.secret.slice(0, at));
  return config.requireSecret(at < 0 ? reference.secret : reference.secret.slice(at + 1));
}
