// A whole stack file as one component, for programs that keep it next to other resources.
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackFile, loadStackText } from "../schemas/load";
import { renderProblems } from "../schemas/problems";
import { groupRefusals, type StackSpec } from "../schemas/stack";
import type { TwilioSettings } from "./resources/args";
import { createItOr, declareStack, type StackOutputs } from "./program/stack";

export interface ConversationsStackArgs {
  /** A stack file, relative to the project (the folder of Pulumi.yaml), or absolute. Give this or `spec`. */
  file?: string;
  /**
   * The stack file's content as an object, checked by the same rules as a file; or a spec that
   * `loadStackFile` returned.
   */
  spec?: unknown;
  /**
   * Prefix of the children's resource names, so that two stack files, or a stack file and
   * hand-written resources, never clash. Default: the component's name and a slash (`staging/`).
   */
  namePrefix?: string;
  /** Which Twilio account the stack's resources use (see `TwilioSettings`). */
  settings?: TwilioSettings;
  /**
   * Grouped seeding, as the stack file's `seeding:` declares it; given here, it is used instead of
   * the file's. `{ groups: G }` spreads the conversations over G group resources.
   */
  seeding?: { groups: number };
}

/**
 * Declares the conversations and seed messages of a stack file as children of one component:
 * `new ConversationsStack("support", { file: "stacks/support.yaml" })`. An invalid file stops the
 * program before anything is registered, with the same problems `validate` prints.
 */
export class ConversationsStack extends pulumi.ComponentResource {
  /** Conversation SIDs by logical name. */
  readonly conversations: StackOutputs["conversations"];
  /** Message SIDs by conversation and message key (or position when unkeyed). */
  readonly messages: StackOutputs["messages"];
  readonly participants: StackOutputs["participants"];

  constructor(name: string, args: ConversationsStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("twilio-conversations:index:ConversationsStack", name, {}, opts);
    const outputs = declareStack(withSeeding(name, specOf(name, args), args.seeding), {
      namePrefix: args.namePrefix ?? `${name}/`,
      parent: this,
      settings: args.settings,
    });
    this.conversations = outputs.conversations;
    this.messages = outputs.messages;
    this.participants = outputs.participants;
    this.registerOutputs({ conversations: this.conversations, messages: this.messages, participants: this.participants });
  }
}

function specOf(name: string, args: ConversationsStackArgs): StackSpec {
  if ((args.file === undefined) === (args.spec === undefined)) {
    throw new pulumi.RunError("ConversationsStack needs exactly one of `file` (a stack file's path) or `spec` (its content)");
  }
  const label = args.file ?? "spec";
  let result;
  if (args.file !== undefined) {
    const root = projectRoot(process.cwd());
    const file = path.resolve(root, args.file);
    if (!existsSync(file)) throw new pulumi.RunError(missingComponentFile(name, args.file, file, root));
    result = loadStackFile(file, args.file);
  } else {
    result = loadStackText(JSON.stringify(args.spec, null, 2), label);
  }
  if (!result.ok) {
    throw new pulumi.RunError(`ConversationsStack "${name}": ${label} is not a valid stack file:\n\n${renderProblems(result.problems)}`);
  }
  return result.spec;
}

/**
 * The spec with the component's `seeding` in place of the file's. What a group cannot hold is
 * refused by the rule validate applies to a file that declares `seeding:`.
 */
export function withSeeding(name: string, spec: StackSpec, seeding: ConversationsStackArgs["seeding"]): StackSpec {
  if (seeding === undefined) return spec;
  const { groups } = seeding;
  if (!Number.isInteger(groups) || groups < 1 || groups > 10_000) {
    throw new pulumi.RunError(`ConversationsStack "${name}": seeding.groups must be a whole number from 1 to 10000, received ${JSON.stringify(groups)}`);
  }
  const refused = groupRefusals(spec.conversations, groups);
  if (refused.length > 0) {
    const lines = refused.map(({ path, violation }) => `${path.join(".")}: ${violation.message}\n  hint: ${violation.hint}`);
    throw new pulumi.RunError(`ConversationsStack "${name}": grouped seeding (seeding.groups) cannot hold these conversations as declared:\n${lines.join("\n")}`);
  }
  return { ...spec, seeding: { groups } };
}

/** A component's `file` is not there: which component, which file, where it looked, what to do. */
function missingComponentFile(name: string, file: string, lookedFor: string, root: string): string {
  return (
    `ConversationsStack "${name}": its file ${file} does not exist: looked for ${lookedFor} ` +
    `(a relative \`file\` is taken from the project, the folder of Pulumi.yaml: ${root}).\n` +
    createItOr("give `file` the path of another stack file, or pass its content as `spec`")
  );
}

/**
 * The folder of Pulumi.yaml. Pulumi runs the program in the folder `main:` names (e.g. `src/`),
 * so relative stack file paths are taken from the project instead, wherever the program lives.
 */
export function projectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "Pulumi.yaml")) || existsSync(path.join(dir, "Pulumi.yml"))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
