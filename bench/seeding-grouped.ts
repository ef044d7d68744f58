// Issue 26's seeding case: N × 4 in grouped seeding, `seeding: { groups }` with about 50
// conversations per group, measured as seeding.ts measures the plain case. Side by side at each
// size: grouped `up`, the twilio-node script, Twilio's floor and the do-nothing provider with the
// same number of steps; at the largest size also the grouped `up` with PULUMI_SKIP_CHECKPOINTS=true,
// the no-op preview, and one conversation edited (its plan and the writes of its `up`); one
// resource per conversation at the sizes where that finishes in reasonable time; the growth of
// grouped `up` between the two largest sizes.
import * as fs from "node:fs";
import type { RunningEmulator } from "../emulator";
import type { BenchMetric, BenchOptions, BenchReport } from "./metric";
import { seedUniqueName } from "./seed-script";
import {
  MB,
  MESSAGES,
  PLAIN,
  PREVIEW_RUNS,
  checkSeeded,
  ensureEngine,
  floorSeconds,
  measureSize,
  measureUp,
  medianSeconds,
  noopRun,
  seedStackYaml,
  type SeedCase,
  type Seeded,
  type Timed,
} from "./seeding";
import { editedFriendlyName, planProblem, requestsOutside, withOneConversationEdited, writeRequests } from "./seeding-edit";

export const DEFAULT_GROUPED_SIZES = [500, 2000];
/**
 * One resource per conversation runs by default up to this size: about 45 s at 500 × 4, where the
 * engine's checkpoint after every step makes it grow with steps × state, so 2,000 × 4 takes many
 * minutes (--per-conversation 2000 runs it anyway).
 */
export const PER_CONVERSATION_DEFAULT_MAX = 500;

/** Conversations per group in the grouped case: the stack declares ceil(N / 50) groups. */
export const GROUPED_PER_GROUP = 50;

export function groupCount(conversations: number): number {
  return Math.ceil(conversations / GROUPED_PER_GROUP);
}

/** Issue 26's case: the plain seed with `seeding: { groups }`, about 50 conversations per group resource. */
const GROUPED: SeedCase = {
  label: (conversations, messages) => `${conversations}×${messages} grouped (${groupCount(conversations)} groups)`,
  stackYaml: (conversations, messages) => `seeding:\n  groups: ${groupCount(conversations)}\n${seedStackYaml(conversations, messages)}`,
  check: checkSeeded,
  scriptArgs: [],
  timeline: false,
};

/** One conversation of a seeded stack edited: its plan, the `up` of it and what that sent. */
interface EditResult {
  name: string;
  plan: Timed;
  up: Timed;
  /** Requests the emulator answered during that `up`, and those that wrote. */
  requests: number;
  writes: number;
}

/**
 * Edits the conversation in the middle of the seeded stack (a new friendlyName, one more message),
 * and fails unless `plan` lists that conversation alone, the `up` after it writes to nothing else,
 * and Twilio then holds the edit.
 */
async function editOneConversation({ workspace, emulator, stackFile, size }: Seeded): Promise<EditResult> {
  const name = seedUniqueName(Math.floor(size / 2));
  fs.writeFileSync(stackFile, withOneConversationEdited(fs.readFileSync(stackFile, "utf8"), name));
  process.stderr.write(`bench: seeding ${GROUPED.label(size, MESSAGES)}: plan after editing ${name}…\n`);
  const plan = await workspace.plan();
  const problem = planProblem(plan.stdout, name);
  if (problem) throw new Error(`after an edit of ${name} alone, the plan of ${size}×${MESSAGES} grouped is wrong: ${problem}`);
  const sid = conversationSid(emulator, name);
  emulator.clearRequests();
  process.stderr.write(`bench: seeding ${GROUPED.label(size, MESSAGES)}: up of the edit of ${name}…\n`);
  const up = await workspace.pulumi(["up", "--yes", "--skip-preview"]);
  const requests = emulator.requests();
  const writes = writeRequests(requests);
  const outside = requestsOutside(writes, sid);
  if (outside.length) {
    throw new Error(`the up of an edit of ${name} (${sid}) alone wrote elsewhere: ${outside.slice(0, 5).join(", ")}${outside.length > 5 ? ` and ${outside.length - 5} more` : ""}`);
  }
  checkEdited(emulator, size, name, sid);
  return { name, plan, up, requests: requests.length, writes: writes.length };
}

function conversationSid(emulator: RunningEmulator, name: string): string {
  const state = emulator.state() as { conversations: { sid: string; unique_name: string | null }[] };
  const conversation = state.conversations.find((candidate) => candidate.unique_name === name);
  if (!conversation) throw new Error(`the emulator holds no conversation ${name} after the seed`);
  return conversation.sid;
}

/** Twilio holds the edited friendlyName, the one new message in that conversation, and nothing else new. */
function checkEdited(emulator: RunningEmulator, size: number, name: string, sid: string): void {
  const state = emulator.state() as { conversations: { sid: string; friendly_name: string | null }[]; messages: { conversation_sid: string }[] };
  const friendlyName = state.conversations.find((conversation) => conversation.sid === sid)?.friendly_name;
  const inIt = state.messages.filter((message) => message.conversation_sid === sid).length;
  const problems = [
    friendlyName === editedFriendlyName(name) ? null : `its friendlyName is ${JSON.stringify(friendlyName)}, not ${JSON.stringify(editedFriendlyName(name))}`,
    inIt === MESSAGES + 1 ? null : `it holds ${inIt} messages, not ${MESSAGES + 1}`,
    state.conversations.length === size ? null : `Twilio holds ${state.conversations.length} conversations, not ${size}`,
    state.messages.length === size * MESSAGES + 1 ? null : `Twilio holds ${state.messages.length} messages, not ${size * MESSAGES + 1}`,
  ].filter((problem): problem is string => problem !== null);
  if (problems.length) throw new Error(`after the up of an edit of ${name}: ${problems.join("; ")}`);
}

/** Grouped `up` of one size beside the script, the floor and the engine alone; at the largest size the rest of issue 26's rows. */
async function groupedSize(engineDir: string, size: number, largest: boolean): Promise<{ metrics: BenchMetric[]; upSeconds: number }> {
  const result = await measureSize(engineDir, size, largest, GROUPED, largest ? editOneConversation : undefined);
  const label = `seeding ${GROUPED.label(size, MESSAGES)}`;
  const floor = floorSeconds(size, MESSAGES);
  // The engine alone for the same steps: as many resources as the grouped stack has.
  const noop = await noopRun(engineDir, result.resources, false);
  const metrics: BenchMetric[] = [
    { name: `${label} up`, value: result.up.seconds, unit: "s", better: "lower" },
    { name: `${label} twilio-node script`, value: result.script.seconds, unit: "s", better: "lower" },
    { name: `${label} Twilio's floor`, value: floor, unit: "s", better: "lower" },
    { name: `${label} up / script`, value: result.up.seconds / result.script.seconds, unit: "×", target: 1.1, better: "lower" },
    { name: `${label} up / floor`, value: result.up.seconds / floor, unit: "×", better: "lower" },
    { name: `${label} up peak memory`, value: result.up.peakBytes / MB, unit: "MB", target: 700, better: "lower" },
    { name: `${label} up: the engine's CPU time`, value: result.up.cpuSeconds, unit: "s", better: "lower" },
    { name: `${label} up, do-nothing provider with the same ${result.resources} steps`, value: noop.up.seconds, unit: "s", better: "lower" },
    { name: `${label} engine steps (resources in state)`, value: result.resources, unit: "", better: "lower" },
    { name: `${label} state bytes per conversation`, value: Math.round(result.stateBytes / size), unit: "B", better: "lower" },
    { name: `${label} requests per up`, value: result.requests, unit: "", better: "lower" },
  ];
  if (result.previews) {
    metrics.push(
      { name: `${label} first no-op preview (closes the seed's journal)`, value: result.previews[0].seconds, unit: "s", better: "lower" },
      { name: `${label} no-op preview (median of ${PREVIEW_RUNS})`, value: medianSeconds(result.previews), unit: "s", target: 10, better: "lower" },
    );
  }
  if (result.after) metrics.push(...editMetrics(label, result.after));
  process.stderr.write(
    `bench: ${label}: up ${result.up.seconds.toFixed(1)} s, script ${result.script.seconds.toFixed(1)} s, floor ${floor.toFixed(2)} s, ` +
      `up peak ${(result.up.peakBytes / MB).toFixed(0)} MB${result.previews ? `, no-op preview ${medianSeconds(result.previews).toFixed(1)} s` : ""}` +
      `${result.after ? `, edit of one conversation: plan ${result.after.plan.seconds.toFixed(1)} s, up ${result.after.up.seconds.toFixed(1)} s, ${result.after.writes} writes` : ""}\n`,
  );
  if (largest) {
    // What the engine's checkpoint after every step still costs with ceil(N / 50) steps.
    const unsaved = await measureUp(engineDir, size, false, GROUPED, { PULUMI_SKIP_CHECKPOINTS: "true" });
    metrics.push({ name: `${label} up, state written once (PULUMI_SKIP_CHECKPOINTS=true)`, value: unsaved.up.seconds, unit: "s", better: "lower" });
    process.stderr.write(`bench: ${label}: up with PULUMI_SKIP_CHECKPOINTS=true ${unsaved.up.seconds.toFixed(1)} s\n`);
  }
  return { metrics, upSeconds: result.up.seconds };
}

/** The edit's figures: its writes (the conversation's update and the new message: 2), and how long its plan and `up` took. */
function editMetrics(label: string, edit: EditResult): BenchMetric[] {
  return [
    { name: `${label} edit of one conversation: writes of its up (all to ${edit.name})`, value: edit.writes, unit: "", target: 2, better: "lower" },
    { name: `${label} edit of one conversation: requests of its up`, value: edit.requests, unit: "", better: "lower" },
    { name: `${label} edit of one conversation: npm run plan (lists ${edit.name} alone)`, value: edit.plan.seconds, unit: "s", better: "lower" },
    { name: `${label} edit of one conversation: up`, value: edit.up.seconds, unit: "s", better: "lower" },
  ];
}

/** One resource per conversation at `size`, beside grouped `up` of the same size. */
async function perConversationSize(engineDir: string, size: number, groupedSeconds: number | undefined): Promise<BenchMetric[]> {
  const label = `seeding ${PLAIN.label(size, MESSAGES)}`;
  const { up } = await measureUp(engineDir, size, false, PLAIN);
  process.stderr.write(`bench: ${label}: up with one resource per conversation ${up.seconds.toFixed(1)} s\n`);
  return [
    { name: `${label} up, one resource per conversation`, value: up.seconds, unit: "s", better: "lower" },
    ...(groupedSeconds === undefined ? [] : [{ name: `${label} grouped up / one resource per conversation`, value: groupedSeconds / up.seconds, unit: "×", better: "lower" as const }]),
  ];
}

export async function run(options: BenchOptions = {}): Promise<BenchReport> {
  const sizes = [...(options.sizes ?? DEFAULT_GROUPED_SIZES)].sort((a, b) => a - b);
  const engineDir = ensureEngine();
  const metrics: BenchMetric[] = [];
  const notes: string[] = [];
  const ups = new Map<number, number>();
  const perConversationUps = new Map<number, number>();
  const perConversation = options.perConversationSizes ?? sizes.filter((size) => size <= PER_CONVERSATION_DEFAULT_MAX);
  for (const size of [...new Set([...sizes, ...perConversation])].sort((a, b) => a - b)) {
    if (sizes.includes(size)) {
      const grouped = await groupedSize(engineDir, size, size === sizes[sizes.length - 1]);
      metrics.push(...grouped.metrics);
      ups.set(size, grouped.upSeconds);
    }
    if (perConversation.includes(size)) {
      const rows = await perConversationSize(engineDir, size, ups.get(size));
      metrics.push(...rows);
      perConversationUps.set(size, rows[0].value);
    }
  }
  if (sizes.length >= 2) {
    const [small, large] = sizes.slice(-2);
    const linear = large / small;
    metrics.push({ name: `seeding grouped up ${large} / (${Number(linear.toFixed(2))} × ${small})`, value: ups.get(large)! / (ups.get(small)! * linear), unit: "×", target: 1.15, better: "lower" });
  }
  const skipped = sizes.filter((size) => !perConversation.includes(size));
  if (skipped.length) {
    const ran = [...perConversationUps].pop();
    const measured = ran ? `${ran[1].toFixed(0)} s at ${ran[0]}×${MESSAGES} in this run` : `about 45 s at 500×${MESSAGES}`;
    const note =
      `seeding-grouped: one resource per conversation not run at ${skipped.map((size) => `${size}×${MESSAGES}`).join(", ")}: its up grows with steps × state ` +
      `(${measured}; many minutes at 2000×${MESSAGES}); --per-conversation ${skipped.join(",")} runs it`;
    notes.push(note);
    process.stderr.write(`bench: ${note}\n`);
  }
  return { metrics, notes };
}
