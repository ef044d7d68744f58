#!/usr/bin/env node
// `npx twilio-conversations-pulumi COMMAND …`: the package's command line, for projects that
// install it. Each command is one entry of COMMANDS; every one takes --help and exits by the one
// scheme of provider/cli/exit-codes.ts.
import { parseCommandLine } from "./cli/args";
import { commandUsage, type Command, type Context, type Output } from "./cli/command";
import { EXIT, EXIT_CODES_TEXT } from "./cli/exit-codes";
import { githubCommand } from "./cli/github";
import { driftCommand, planCommand } from "./cli/plan";
import type { Env } from "./cli/pulumi";
import { validateCommand } from "../schemas/validate-cli";
import { exportCommandEntry } from "./export/command";

export const PROGRAM = "twilio-conversations-pulumi";

export const COMMANDS: Readonly<Record<string, Command>> = {
  validate: validateCommand,
  plan: planCommand,
  drift: driftCommand,
  github: githubCommand,
  export: exportCommandEntry,
};

export function programUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const list = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `usage: ${PROGRAM} COMMAND [OPTIONS]

Commands:
${list.join("\n")}

\`${PROGRAM} COMMAND --help\` tells more of each.

${EXIT_CODES_TEXT}`;
}

export async function main(args: readonly string[], output: Output, cwd: string = process.cwd(), env: Env = process.env): Promise<number> {
  const [name, ...rest] = args;
  if (name === "--help" || name === "-h" || name === "help") {
    output.out(programUsage());
    return EXIT.ok;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    output.err(name === undefined ? programUsage() : `unknown command ${JSON.stringify(name)}\n\n${programUsage()}`);
    return EXIT.usage;
  }
  const usage = commandUsage(`${PROGRAM} ${name}`, command);
  const parsed = parseCommandLine(command.options, rest, command.positionals);
  if (parsed.kind === "help") {
    output.out(usage);
    return EXIT.ok;
  }
  if (parsed.kind === "usage-error") {
    output.err(`${parsed.message}\n\n${usage}`);
    return EXIT.usage;
  }
  const context: Context = { output, env, cwd };
  return command.run(parsed.values, parsed.positionals, context);
}

if (require.main === module) {
  // Not INIT_CWD: npx runs in the caller's directory already, and a project's own npm script
  // (`"validate": "twilio-conversations-pulumi validate stacks/*.yaml"`) names paths from its root.
  main(process.argv.slice(2), { out: (line) => process.stdout.write(`${line}\n`), err: (text) => process.stderr.write(`${text}\n`) }).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
