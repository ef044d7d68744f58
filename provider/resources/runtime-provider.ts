import type * as pulumi from "@pulumi/pulumi";

export type ResourceKind = "conversation" | "message";

/**
 * The provider stored in state with every resource. Pulumi serializes it by value, so it holds
 * no logic, no credential and no dependency: each method loads the implementation, from the
 * project's installed copy, when the engine calls it. This keeps `__provider` under 1 KB, lets a
 * fixed provider serve resources created by an older one, and lets all resources share one
 * runtime (connections, rate limiter).
 */
export function runtimeProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const load = () => {
    const path = require("path");
    const tried: string[] = [];
    for (const request of ["twilio-conversations-pulumi/dist/provider/runtime", path.join(process.cwd(), "dist/provider/runtime")]) {
      try {
        return require(require.resolve(request, { paths: [process.cwd()] }));
      } catch (error) {
        if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
        tried.push(request);
      }
    }
    throw new Error(
      `the Twilio Conversations provider is not installed where pulumi runs (${process.cwd()}); ` +
        `tried ${tried.join(" and ")}. Run \`npm ci\` in the project, then try again.`,
    );
  };
  return {
    configure: (request) => load().configure(request),
    check: (olds, news) => load()[kind].check(olds, news),
    diff: (id, olds, news) => load()[kind].diff(id, olds, news),
    create: (inputs) => load()[kind].create(inputs),
    read: (id, props) => load()[kind].read(id, props),
    update: (id, olds, news) => load()[kind].update(id, olds, news),
    delete: (id, props) => load()[kind].delete(id, props),
  };
}
