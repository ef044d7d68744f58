// The environment's resources on the wire: their paths (each kind's own, below the account's or the
// service's, is its registry entry's), the answers kept as the environment's outputs hold them
// (read by client/wire.ts from their property tables), and the calls that create, read, change
// and delete them.
import { TwilioConversationsError, type ErrorContext } from "../errors";
import { valueAt } from "../domain/row";
import type { EnvironmentKind, EnvironmentTable } from "../domain/environment";
import { createOnce, refusedWith } from "./create";
import { earliestServerTime, send, sendForAllPages, type AnswerShape, type Transport, type TwilioJson } from "./http";
import { answerOf, formOf, type Form } from "./wire";

/** Where an environment resource is: the service it belongs to (null: the default service, or the account). */
export interface EnvironmentScope {
  serviceSid: string | null;
}

/**
 * The values Twilio answers for a table's properties, by property (a composite as an object of its
 * parts); a JSON property as its value, and in `jsonTexts` as the very text Twilio answered, which
 * is what a destroy puts back (parsed and written again, its keys could come back in another order).
 */
export type Observed = Record<string, unknown> & {
  sid: string | null;
  url: string | null;
  accountSid: string | null;
  /** Present for a table with JSON properties: each one Twilio answered as text, by property. */
  jsonTexts?: Record<string, string>;
};

const HINTS: Record<number, string> = {
  20404: "the object is not there: check the SID, or the service it belongs to",
  50100: "a role SID must name a service role of this service: declare the role under roles with type: service",
  50109: "a default conversation role must name a conversation role of this service: declare it under roles with type: conversation",
};

function prefixOf(kind: EnvironmentKind, scope: EnvironmentScope): string {
  if (kind.placement === "account") return "/v1";
  if (kind.placement === "service" && scope.serviceSid === null) throw new Error(`a ${kind.noun} belongs to a Conversation Service: name one`);
  return scope.serviceSid === null ? "/v1" : `/v1/Services/${encodeURIComponent(scope.serviceSid)}`;
}

/** A singleton's path, a collection's list path, or (given a SID or natural key) one object's path. */
export function environmentPath(kind: EnvironmentKind, scope: EnvironmentScope, sid?: string): string {
  const path = prefixOf(kind, scope) + kind.path;
  return kind.shape === "singleton" || sid === undefined ? path : `${path}/${encodeURIComponent(sid)}`;
}

/**
 * What Twilio answers for each property of the table (null where it shows nothing; a composite as
 * its parts), with the object's SID and URL, and the text of each JSON property as answered.
 */
export function observedOf(table: EnvironmentTable, json: TwilioJson): Observed {
  const observed: Record<string, unknown> = {
    sid: typeof json.sid === "string" ? json.sid : null,
    url: typeof json.url === "string" ? json.url : null,
    accountSid: typeof json.account_sid === "string" ? json.account_sid : null,
    ...answerOf(table, json, true),
  };
  if (Object.values(table).some((row) => row.encode === "json")) {
    const texts = Object.entries(table).map(([property, row]) => [property, row.encode === "json" && typeof row.answer === "string" ? valueAt(json, row.answer) : null]);
    observed.jsonTexts = Object.fromEntries(texts.filter(([, text]) => typeof text === "string"));
  }
  return observed as Observed;
}

function answerShape(kind: EnvironmentKind): AnswerShape {
  if (kind.shape === "singleton") return { what: `a ${kind.noun}`, lacking: "a URL", accepts: (json) => typeof json.url === "string" };
  return { what: `a ${kind.noun}`, accepts: (json) => typeof json.sid === "string" };
}

function pageShape(kind: EnvironmentKind): AnswerShape {
  return { what: `a page of ${kind.noun}s`, lacking: `"${kind.listItems}" and "meta"`, accepts: (json) => Array.isArray(json[kind.listItems!]) && typeof json.meta === "object" };
}

/** A singleton or one object; null when Twilio answers 404. */
export async function fetchEnvironment(
  transport: Transport,
  kind: EnvironmentKind,
  scope: EnvironmentScope,
  sid: string | undefined,
  context: ErrorContext,
): Promise<Observed | null> {
  const json = await send(transport, {
    method: "GET",
    path: environmentPath(kind, scope, sid),
    kind: "read",
    context,
    notFoundIsNull: true,
    answer: answerShape(kind),
    hints: HINTS,
  });
  return json ? observedOf(kind.table, json) : null;
}

/** Sets a singleton's properties, or changes one object's. */
export async function updateEnvironment(
  transport: Transport,
  kind: EnvironmentKind,
  scope: EnvironmentScope,
  sid: string | undefined,
  form: Form,
  context: ErrorContext,
): Promise<Observed> {
  const json = await send(transport, {
    method: "POST",
    path: environmentPath(kind, scope, sid),
    form,
    kind: "idempotent-write",
    context,
    answer: answerShape(kind),
    hints: HINTS,
  });
  return observedOf(kind.table, json as TwilioJson);
}

/** Deletes one object; false when Twilio no longer has it. */
export async function deleteEnvironment(
  transport: Transport,
  kind: EnvironmentKind,
  scope: EnvironmentScope,
  sid: string,
  context: ErrorContext,
): Promise<boolean> {
  const json = await send(transport, { method: "DELETE", path: environmentPath(kind, scope, sid), kind: "idempotent-write", context, notFoundIsNull: true, hints: HINTS });
  return json !== null;
}

/** Every object of a collection, page after page. */
export async function listEnvironment(transport: Transport, kind: EnvironmentKind, scope: EnvironmentScope, context: ErrorContext): Promise<TwilioJson[]> {
  return sendForAllPages(
    transport,
    { method: "GET", path: environmentPath(kind, scope), query: { PageSize: "50" }, kind: "read", context, answer: pageShape(kind) },
    kind.listItems!,
  );
}

/** The object of a collection that `matches` finds, by its natural key's fetch path where Twilio takes it, else in the list. */
export async function findEnvironment(
  transport: Transport,
  kind: EnvironmentKind,
  scope: EnvironmentScope,
  naturalValue: string,
  context: ErrorContext,
): Promise<Observed | null> {
  if (kind.fetchesByNaturalKey) return fetchEnvironment(transport, kind, scope, naturalValue, context);
  return findEnvironmentBy(transport, kind, scope, { [kind.naturalKey!]: naturalValue }, context);
}

/** The oldest object of a collection whose answer holds each of `values` (by property), if any: Twilio does not keep friendly names unique. */
export async function findEnvironmentBy(
  transport: Transport,
  kind: EnvironmentKind,
  scope: EnvironmentScope,
  values: Record<string, unknown>,
  context: ErrorContext,
): Promise<Observed | null> {
  const found = (await listEnvironment(transport, kind, scope, context)).filter((json) =>
    Object.entries(values).every(([property, value]) => valueAt(json, kind.table[property].answer as string) === value),
  );
  found.sort((a, b) => Date.parse(String(a.date_created)) - Date.parse(String(b.date_created)));
  return found.length ? observedOf(kind.table, found[0]) : null;
}

/** What a create sent, as its recovery needs it. */
interface SentEnvironment {
  scope: EnvironmentScope;
  values: Record<string, unknown>;
}

/** Twilio's codes for a create refused because the natural key is taken (a user's identity, an address). */
const CLASH_CODES = [50201, 409];

/**
 * Creates one object of a collection, once: journaled first, and after a lost answer found again by
 * its natural key (or, without one, by the properties its kind matches on and its creation time).
 * What a killed run made is taken when `holdsDeclared` says it holds every declared value and no
 * resource of the run holds it: found when Twilio refuses a natural key it keeps unique, else
 * looked for when the journal cannot vouch for the stack.
 */
export async function createEnvironment(
  transport: Transport,
  kind: EnvironmentKind,
  scope: EnvironmentScope,
  values: Record<string, unknown>,
  context: ErrorContext,
  journalKey: string | null,
  holdsDeclared: ((observed: Observed) => boolean) | null = null,
): Promise<Observed> {
  const form = formOf(kind.table, values);
  const natural = kind.naturalKey ? values[kind.naturalKey] : undefined;
  const find = (sent: SentEnvironment, sentAt: number, excluded: ReadonlySet<string>) =>
    findCreated(transport, kind, sent, sentAt, context, excluded);
  const lookup = { ...context, operation: `${context.operation} (looking for one a killed run made)` };
  const unheldHolding = (json: TwilioJson) => !transport.claims.isClaimed(String(json.sid)) && holdsDeclared!(observedOf(kind.table, json));
  const recovery = !holdsDeclared
    ? {}
    : kind.naturalKeyUnique
      ? {
          onConflict: async (error: unknown) => {
            if (!refusedWith(error, CLASH_CODES) || typeof natural !== "string") return null;
            const json = await send(transport, { method: "GET", path: environmentPath(kind, scope, natural), kind: "read", context: lookup, notFoundIsNull: true, answer: answerShape(kind), forCreate: true });
            return json && unheldHolding(json) ? json : null;
          },
        }
      : {
          lookFirst: async () => {
            const found = (await listEnvironment(transport, kind, scope, lookup)).filter(unheldHolding);
            if (found.length > 1) {
              throw new TwilioConversationsError(
                { ...context, hint: `delete the extra ${kind.noun}s by hand (or adopt one), then run \`pulumi up\` again` },
                { message: `${found.length} ${kind.noun}s that no resource holds match every declared value (${found.map((json) => json.sid).join(", ")}): which one a killed run made cannot be told` },
              );
            }
            return found[0] ?? null;
          },
        };
  const { json } = await createOnce<SentEnvironment>(transport, {
    ...recovery,
    key: journalKey,
    twinKey: `${kind.name} ${scope.serviceSid ?? "default"} ${typeof natural === "string" ? natural : JSON.stringify(kind.recoveryMatch?.map((key) => values[key]) ?? [])}`,
    // Secrets are never journaled: recovery does not match on them.
    sent: { scope, values: Object.fromEntries(Object.entries(values).filter(([property]) => !kind.table[property]?.secret)) },
    post: () =>
      send(transport, {
        method: "POST",
        path: environmentPath(kind, scope),
        form,
        kind: "create",
        context,
        answer: answerShape(kind),
        hints: HINTS,
        reconcile: (firstSentAt) => findCreated(transport, kind, { scope, values }, firstSentAt, context, new Set()),
      }) as Promise<TwilioJson>,
    fetch: (sid) => send(transport, { method: "GET", path: environmentPath(kind, scope, sid), kind: "read", context, notFoundIsNull: true, answer: answerShape(kind), forCreate: true }),
    find,
  });
  return observedOf(kind.table, json);
}

/** The unclaimed object a create of `sent` made at or after `sentAt`, if Twilio holds one. */
async function findCreated(
  transport: Transport,
  kind: EnvironmentKind,
  sent: SentEnvironment,
  sentAt: number,
  context: ErrorContext,
  excluded: ReadonlySet<string>,
): Promise<TwilioJson | null> {
  const earliest = earliestServerTime(transport.serverClock, sentAt);
  const keys = kind.naturalKey ? [kind.naturalKey] : (kind.recoveryMatch ?? []);
  const matches = (json: TwilioJson) =>
    keys.every((key) => {
      const row = kind.table[key];
      const value = sent.values[key];
      return value === undefined || value === null || valueAt(json, row.answer as string) === value;
    });
  const candidates = (await listEnvironment(transport, kind, sent.scope, { ...context, operation: `${context.operation} (looking for one made by a lost answer)` }))
    .filter((json) => matches(json) && Date.parse(String(json.date_created)) >= earliest)
    .filter((json) => !transport.claims.isClaimed(String(json.sid)) && !excluded.has(String(json.sid)));
  return candidates[0] ?? null;
}
