// What a command of `twilio-conversations-pulumi` is: its options as data, its help, and what it
// does with them. provider/cli.ts holds the table of commands.
import type { OptionSpecs, ParsedValues } from "./args";
import type { Env } from "./pulumi";
import { EXIT_CODES_TEXT } from "./exit-codes";

/** Where a command writes: lines to stdout, text to stderr. */
export interface Output {
  out: (line: string) => void;
  err: (text: string) => void;
}

export interface Context {
  output: Output;
  env: Env;
  /** The directory the command was started in: --cwd and relative files are read from here. */
  cwd: string;
}

export interface Command<S extends OptionSpecs = OptionSpecs> {
  /** One line for the list of commands. */
  summary: string;
  /** The synopsis after the command's name: `[--stack STACK] [--format …]`. */
  synopsis: string;
  /** What it does and each option, for --help. */
  help: string;
  options: S;
  /** Whether it takes arguments besides its options (file names). */
  positionals: boolean;
  run(values: ParsedValues<S>, positionals: string[], context: Context): Promise<number> | number;
}

/** Declares a command with its options' types kept (the table holds them as plain Commands). */
export function command<S extends OptionSpecs>(spec: Command<S>): Command {
  return spec as unknown as Command;
}

export const STACK_OPTION = { stack: { type: "string", short: "s" } } as const;
export const CWD_OPTION = { cwd: { type: "string", short: "C" } } as const;
export const STACK_HELP = "  -s, --stack STACK   the stack (default: the project's selected stack)";
export const CWD_HELP = "  -C, --cwd DIR       the Pulumi project's folder, the one holding Pulumi.yaml (default: here)";

/** A command's --help: its synopsis, what it does, and the exit codes. */
export function commandUsage(invocation: string, spec: Pick<Command, "synopsis" | "help">): string {
  return `usage: ${invocation} ${spec.synopsis}

${spec.help}
  -h, --help          this text

${EXIT_CODES_TEXT}`;
}
