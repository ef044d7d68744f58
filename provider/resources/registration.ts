// Program side: what every resource class registers, and what it does around its registration.
import * as pulumi from "@pulumi/pulumi";
import type { TwilioSettings } from "./args";
import { providerModuleText, type ResourceKind } from "./runtime-provider";

/**
 * A resource's properties as registered: its outputs (each an input of `undefined`, so that the
 * engine shows it), its inputs, and the provider's bookkeeping (see runtime.ts): its name and stack,
 * which key the create journal, the settings namespace of its account, and the `__provider` module
 * the provider process runs for it.
 */
export function registeredProps(kind: ResourceKind, name: string, outputs: readonly string[], inputs: object, settings: TwilioSettings | undefined): Record<string, unknown> {
  return {
    ...Object.fromEntries(outputs.map((output) => [output, undefined])),
    ...inputsWithBookkeeping(name, inputs, settings),
    __provider: providerModuleText(kind),
  };
}

/**
 * A resource's inputs with the provider's bookkeeping: what its provider methods are given. A
 * member of a conversation group is given exactly these, so that it is keyed, journaled and
 * recovered as its own resource would be.
 */
export function inputsWithBookkeeping(name: string, inputs: object, settings: TwilioSettings | undefined): Record<string, unknown> {
  return {
    resourceName: name,
    stack: pulumi.getStack(),
    ...inputs,
    ...(settings?.configNamespace === undefined ? {} : { settingsNamespace: settings.configNamespace }),
  };
}

/** Options that mark the table's secret properties' outputs secret (none but the given options when there are none). */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, secrets: readonly string[]): pulumi.CustomResourceOptions | undefined {
  if (secrets.length === 0) return opts;
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets] };
}

/**
 * Turns V8's stack capture off until the returned function is called; a resource constructor wraps
 * its `super(...)` call in it. While registering a resource the Pulumi SDK makes four promises per
 * property, and captures a stack for each only to name leaked promises at exit. Under the language
 * host's source-map support each capture maps every frame through source maps: 150 conversations
 * spent 1.2 s of the program's time there before the engine heard of the first. The resource's own
 * source position is kept: the SDK captures it under a limit it sets itself.
 */
export function withoutPromiseStacks(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
