#!/usr/bin/env node
// `npx twilio-conversations-pulumi validate [--format text|json|github] FILE…`: the package's command
// line, for projects that install it. Exit codes: 0 valid, 1 problems, 2 usage.
import { validateFiles, validateUsage, type Output } from "../schemas/validate-cli";
import { exportCommand } from "./export/command";

const COMMAND = "twilio-conversations-pulumi validate";

export function main(args: readonly string[], output: Output, callerDir: string = process.cwd()): number {
  const [command, ...rest] = args;
  if (command === "--help" || command === "-h" || command === "help") {
    output.out(validateUsage(COMMAND));
    return 0;
  }
  if (command === "validate") return validateFiles(rest, output, { callerDir, command: COMMAND });
  const usage = validateUsage(COMMAND);
  output.err(command === undefined ? usage : `unknown command ${JSON.stringify(command)}\n\n${usage}`);
  return 2;
}

if (require.main === module && process.argv[2] === "export") {
  void exportCommand(process.argv.slice(3)).then((code) => (process.exitCode = code));
} else if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (text) => process.stderr.write(`${text}\n`),
    },
    // Not INIT_CWD: npx runs in the caller's directory already, and a project's own npm script
    // (`"validate": "twilio-conversations-pulumi validate stacks/*.yaml"`) names paths from its root.
    process.cwd(),
  );
}
