#!/usr/bin/env node
// `npx twilio-conversations-pulumi validate FILE…`: the package's command line, for projects that
// install it. Exit codes: 0 valid, 1 problems, 2 usage.
import { validateFiles } from "../schemas/validate-cli";

const USAGE = `usage: twilio-conversations-pulumi validate STACK_FILE.yaml [STACK_FILE.yaml …]

Checks stack files offline, without credentials, with the rules pulumi preview applies.`;

export function main(args: readonly string[], output: { out: (line: string) => void; err: (text: string) => void }): number {
  const [command, ...rest] = args;
  if (command === "--help" || command === "-h" || command === "help") {
    output.out(USAGE);
    return 0;
  }
  if (command === "validate") return validateFiles(rest, output);
  output.err(command === undefined ? USAGE : `unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  return 2;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
