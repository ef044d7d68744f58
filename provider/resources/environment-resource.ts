// What every environment resource is, whatever its kind: a dynamic resource of its kind's Pulumi
// type whose provider (resources/environment-provider.ts) follows its kind's property table. A
// kind's class is made here from its registry entry; resources/environment.ts names each one.
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_KINDS, type EnvironmentKindName, type EnvironmentKindOf, type EnvironmentTableOf, type EnvironmentValues } from "../domain/environment";
import { secretProperties } from "../domain/row";
import type { SameKeys } from "../domain/properties";
import type { AdoptMode } from "../domain/rules";
import type { TwilioSettings } from "./args";
import { registeredProps, withSecretOutputs, withoutPromiseStacks } from "./registration";

export type In<T> = pulumi.Input<T | null>;

/** What every environment resource may say besides its properties. */
export interface Common {
  settings?: TwilioSettings;
}

/** Resources that belong to a Conversation Service: its `IS…` SID (a declared `Service`'s `sid`). */
export interface InService {
  chatServiceSid: pulumi.Input<string>;
}

/** Resources of a service or, without one, of the account's default service. */
export interface InServiceOrDefault {
  chatServiceSid?: In<string>;
}

/** Collections whose objects may already exist: take one over by its natural key (then destroy puts it back as found). */
export interface Adoptable {
  adopt?: pulumi.Input<AdoptMode>;
}

/** A table's properties as Pulumi inputs: those Twilio requires always, the others optional or null (not managed). Each keeps its row's doc comment. */
export type EnvironmentInputs<T> = { [P in keyof EnvironmentValues<T>]: pulumi.Input<Exclude<EnvironmentValues<T>[P], undefined>> };

type PlacementArgs = { service: InService; "service-or-default": InServiceOrDefault; account: unknown };

/**
 * A kind's arguments, from its registry entry: its table's properties, its settings, the service it
 * belongs to (by its placement) and, for a collection, its adoption.
 */
export type EnvironmentArgs<K extends EnvironmentKindName> = Common &
  PlacementArgs[EnvironmentKindOf<K>["placement"]] &
  (EnvironmentKindOf<K>["shape"] extends "collection" ? Adoptable : unknown) &
  EnvironmentInputs<EnvironmentTableOf<K>>;

/** The arguments that are properties of the kind's table: not its settings, service or adoption. */
type Declared<Args> = Exclude<keyof Args, keyof Common | keyof InService | keyof Adoptable | "deleteWithConversations">;

/** The kind whose table has exactly the properties `Args` declares; `never` when none has. */
type KindOf<Args> = { [K in EnvironmentKindName]: SameKeys<Declared<Args>, keyof EnvironmentTableOf<K>> extends true ? K : never }[EnvironmentKindName];

/** What a resource answers besides its SIDs: each declared property but the secrets (state keeps only their fingerprints). */
type OutputsOf<K extends EnvironmentKindName, Args> = {
  readonly [P in Declared<Args> as P extends keyof EnvironmentTableOf<K> ? (EnvironmentTableOf<K>[P] extends { secret: true } ? never : P) : never]-?: pulumi.Output<
    pulumi.Unwrap<Exclude<Args[P], undefined>>
  >;
};

/** One environment resource: its declared properties (secret ones as Pulumi secrets), its provider, and what Twilio answers. */
export abstract class EnvironmentResource extends pulumi.CustomResource {
  /** The object's SID; null for a singleton (it has none). */
  declare readonly sid: pulumi.Output<string | null>;
  declare readonly url: pulumi.Output<string | null>;
  declare readonly accountSid: pulumi.Output<string | null>;
  /** True when the object was there before the stack: destroy puts back what it found. */
  declare readonly adopted: pulumi.Output<boolean>;

  protected constructor(kind: EnvironmentKindName, name: string, args: Common & object, opts?: pulumi.CustomResourceOptions) {
    const { settings, ...declared } = args as Common & Record<string, unknown>;
    const table = ENVIRONMENT_KINDS[kind].table;
    const secrets = secretProperties(table);
    const inputs: Record<string, unknown> = {};
    for (const [property, value] of Object.entries(declared)) {
      if (value === undefined || value === null) continue;
      inputs[property] = secrets.includes(property) ? pulumi.secret(value) : value;
    }
    const outputs = [...Object.keys(table).filter((property) => !secrets.includes(property)), "sid", "url", "accountSid", "adopted"];
    const props = registeredProps(kind, name, outputs, inputs, settings);
    const restoreStacks = withoutPromiseStacks();
    try {
      super(environmentType(kind), name, props, withSecretOutputs(opts, secrets.length ? ["fingerprints"] : []));
    } finally {
      restoreStacks();
    }
  }
}

export const environmentType = (kind: EnvironmentKindName) => `pulumi-nodejs:dynamic/twilio-conversations:${ENVIRONMENT_KINDS[kind].type}`;

type EnvironmentClass<Args = Record<string, unknown>, Instance = EnvironmentResource> = new (name: string, args: Args, opts?: pulumi.CustomResourceOptions) => Instance;

const classes: Partial<Record<EnvironmentKindName, EnvironmentClass>> = {};

/** The resource class of a kind, named by its Pulumi type: one per kind, whoever asks (the package's exports, the program). */
export function environmentClass(kind: EnvironmentKindName): EnvironmentClass {
  const type = ENVIRONMENT_KINDS[kind].type;
  return (classes[kind] ??= {
    [type]: class extends EnvironmentResource {
      constructor(name: string, args: Common & object, opts?: pulumi.CustomResourceOptions) {
        super(kind, name, args, opts);
      }
    },
  }[type]);
}

/**
 * The class of the kind whose table `Args` declares exactly: `environmentResource<RoleArgs>("role")`.
 * When the arguments and the table part ways, the kind is refused (`… is not assignable to
 * parameter of type 'never'`): add the property to both, or to neither.
 */
export function environmentResource<Args extends Common, K extends EnvironmentKindName = KindOf<Args>>(kind: K): EnvironmentClass<Args, EnvironmentResource & OutputsOf<K, Args>> {
  return environmentClass(kind) as EnvironmentClass<Args, EnvironmentResource & OutputsOf<K, Args>>;
}
