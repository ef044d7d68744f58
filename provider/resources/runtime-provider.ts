import type * as pulumi from "@pulumi/pulumi";

export type ResourceKind = "conversation" | "message";

/**
 * The provider stored in state with every resource. Pulumi serializes it by value, so it holds
 * no logic, no credential and no dependency: each method loads the implementation from the
 * project (`dist/provider/runtime.js`, relative to where pulumi runs the program) when the engine
 * calls it. This keeps `__provider` under 2 KB per resource, lets a fixed provider serve
 * resources an older one created, and lets all resources of a stack share one runtime
 * (settings, connections, rate limiter).
 */
export function runtimeProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // Serialized into every resource's state, so short names on purpose: `r` runs method `m` of
  // this resource kind's implementation with the arguments `a`. The serialized text is loaded
  // without a file name, so Node resolves the relative path from the working directory, which
  // pulumi sets to the project.
  const k = kind;
  const r = (m: string, a: unknown[]) => require("./dist/provider/runtime")[k][m](...a);
  return {
    configure: (...a) => r("configure", a),
    check: (...a) => r("check", a),
    diff: (...a) => r("diff", a),
    create: (...a) => r("create", a),
    read: (...a) => r("read", a),
    update: (...a) => r("update", a),
    delete: (...a) => r("delete", a),
  };
}
