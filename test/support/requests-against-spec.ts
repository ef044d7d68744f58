// Checks requests the provider sent (from the emulator's request log) against Twilio's OpenAPI
// spec: the operation exists for that method and path, and every form field, query parameter and
// Twilio header is one the operation defines.
import type { RequestLogEntry } from "../../emulator";
import { spec, specOperationFor } from "../integration/emulator/support";

export function requestsOutsideSpec(requests: readonly RequestLogEntry[]): string[] {
  if (!spec) return [];
  const problems: string[] = [];
  for (const request of requests) {
    const operation = specOperationFor(request.method, request.path);
    const where = `${request.method} ${request.path}`;
    if (!operation) {
      problems.push(`${where}: no such operation in the spec`);
      continue;
    }
    const definition = spec.paths[operation.template][request.method.toLowerCase()];
    const parameters: Array<{ name: string; in: string }> = [
      ...(spec.paths[operation.template].parameters ?? []),
      ...(definition.parameters ?? []),
    ];
    const formFields = Object.keys(
      definition.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema?.properties ?? {},
    );
    for (const field of Object.keys(request.form)) {
      if (!formFields.includes(field)) problems.push(`${where}: form field ${field} is not defined by ${operation.operationId}`);
    }
    const queryNames = parameters.filter((p) => p.in === "query").map((p) => p.name);
    for (const name of Object.keys(request.query)) {
      if (!queryNames.includes(name)) problems.push(`${where}: query parameter ${name} is not defined by ${operation.operationId}`);
    }
    const headerNames = parameters.filter((p) => p.in === "header").map((p) => p.name.toLowerCase());
    for (const name of Object.keys(request.headers).filter((header) => header.startsWith("x-twilio-"))) {
      if (!headerNames.includes(name)) problems.push(`${where}: header ${name} is not defined by ${operation.operationId}`);
    }
  }
  return problems;
}
