// A command's options as data, parsed with node:util parseArgs into either help, a usage error
// (said in our words, not Node's) or the values.
import { parseArgs } from "node:util";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** The values a string option takes; anything else is a usage error. */
  choices?: readonly string[];
}
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** A string option's value: one of its choices when it has them. */
type StringValue<O extends OptionSpec> = O extends { choices: readonly (infer C)[] } ? C : string;

export type ParsedValues<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]["type"] extends "boolean" ? boolean : S[K]["multiple"] extends true ? StringValue<S[K]>[] : StringValue<S[K]>;
};

export type Parsed<S extends OptionSpecs> =
  | { kind: "help" }
  | { kind: "usage-error"; message: string }
  | { kind: "run"; values: ParsedValues<S>; positionals: string[] };

const HELP = new Set(["--help", "-h"]);

/** `--help` anywhere before `--` wins over anything else on the line. */
export function parseCommandLine<S extends OptionSpecs>(specs: S, args: readonly string[], positionals: boolean): Parsed<S> {
  const end = args.indexOf("--");
  if ((end === -1 ? args : args.slice(0, end)).some((arg) => HELP.has(arg))) return { kind: "help" };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, { type, short, multiple }]) => [name, { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: positionals, strict: true });
  } catch (error) {
    return { kind: "usage-error", message: usageMessage(error as Error & { code?: string }, specs) };
  }
  for (const [name, spec] of Object.entries(specs)) {
    const given = parsed.values[name];
    const values = given === undefined ? [] : Array.isArray(given) ? given : [given];
    for (const value of values) {
      if (spec.choices && !spec.choices.includes(String(value))) {
        return { kind: "usage-error", message: `${choicesText(name, spec.choices)}, not ${JSON.stringify(value)}` };
      }
      if (spec.type === "string" && value === "") return { kind: "usage-error", message: `--${name} needs a value` };
    }
  }
  return { kind: "run", values: parsed.values as ParsedValues<S>, positionals: parsed.positionals };
}

function choicesText(name: string, choices: readonly string[]): string {
  return `--${name} takes ${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`;
}

function usageMessage(error: Error & { code?: string }, specs: OptionSpecs): string {
  const quoted = /'(-[^' ,]+)/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${JSON.stringify(quoted ?? error.message)}`;
  if (error.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument ${JSON.stringify(/'([^']*)'/.exec(error.message)?.[1] ?? "")}`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && quoted) {
    const given = quoted.replace(/^-+/, "");
    const name = specs[given] ? given : (Object.entries(specs).find(([, spec]) => spec.short === given)?.[0] ?? given);
    const spec = specs[name];
    if (spec?.type === "boolean") return `--${name} takes no value`;
    if (spec?.choices) return choicesText(name, spec.choices);
    return `--${name} needs a value`;
  }
  return error.message;
}
