// Fault injection: rules that delay, fail or drop matching requests, set from flags or at run time.

export interface FaultRule {
  method?: string;
  /** A regular expression tested against the request path (no query). */
  path?: string;
  status?: 200 | 429 | 500 | 503;
  /**
   * Answers `status` with this text instead of Twilio's error body, without applying the request:
   * what a proxy or captive portal in front of the API may send. Status 200 needs a body.
   */
  body?: string;
  /** "before": close the socket without applying the request; "after": apply it, then close. */
  drop?: "before" | "after";
  latencyMs?: number;
  /** Chance (0..1) that a matching request is affected; default 1. */
  probability?: number;
  /** Affects only the next N matching requests, then expires. */
  count?: number;
  /** Seconds, sent as Retry-After on 429 and 503. */
  retryAfter?: number;
}

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  body?: string;
  retryAfter?: number;
  drop?: "before" | "after";
}

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp | null;
  remaining: number;
}

export function validateFaultRules(input: unknown): FaultRule[] {
  const rules = Array.isArray(input) ? input : [input];
  return rules.map((rule, position) => {
    const where = `fault rule ${position}`;
    if (typeof rule !== "object" || rule === null) throw new Error(`${where}: expected an object`);
    const r = rule as Record<string, unknown>;
    const known = ["method", "path", "status", "body", "drop", "latencyMs", "probability", "count", "retryAfter"];
    for (const key of Object.keys(r)) if (!known.includes(key)) throw new Error(`${where}: unknown field '${key}'`);
    if (r.method !== undefined && typeof r.method !== "string") throw new Error(`${where}: method must be a string`);
    if (r.path !== undefined) {
      if (typeof r.path !== "string") throw new Error(`${where}: path must be a string`);
      new RegExp(r.path);
    }
    if (r.status !== undefined && ![200, 429, 500, 503].includes(r.status as number)) {
      throw new Error(`${where}: status must be 200, 429, 500 or 503`);
    }
    if (r.body !== undefined && (typeof r.body !== "string" || r.status === undefined)) {
      throw new Error(`${where}: body must be a string, with a status`);
    }
    if (r.status === 200 && r.body === undefined) throw new Error(`${where}: status 200 needs a body`);
    if (r.drop !== undefined && r.drop !== "before" && r.drop !== "after") {
      throw new Error(`${where}: drop must be "before" or "after"`);
    }
    for (const key of ["latencyMs", "count", "retryAfter"]) {
      if (r[key] !== undefined && !(typeof r[key] === "number" && (r[key] as number) >= 0)) {
        throw new Error(`${where}: ${key} must be a non-negative number`);
      }
    }
    if (r.probability !== undefined && !(typeof r.probability === "number" && r.probability >= 0 && r.probability <= 1)) {
      throw new Error(`${where}: probability must be a number from 0 to 1`);
    }
    return r as FaultRule;
  });
}

export interface FaultInjector {
  set(rules: FaultRule[]): void;
  add(rules: FaultRule[]): void;
  clear(): void;
  rules(): FaultRule[];
  /** Decides what happens to one request; consumes counted rules that fire. */
  decide(method: string, path: string): FaultDecision;
}

export function createFaultInjector(initial: FaultRule[] = [], random: () => number = Math.random): FaultInjector {
  let active: ActiveRule[] = [];
  const activate = (rules: FaultRule[]) =>
    validateFaultRules(rules).map((rule) => ({
      rule,
      pattern: rule.path === undefined ? null : new RegExp(rule.path),
      remaining: rule.count ?? Infinity,
    }));
  active = activate(initial);
  return {
    set(rules) {
      active = activate(rules);
    },
    add(rules) {
      active = [...active, ...activate(rules)];
    },
    clear() {
      active = [];
    },
    rules() {
      return active.map(({ rule, remaining }) =>
        Number.isFinite(remaining) ? { ...rule, count: remaining } : { ...rule },
      );
    },
    decide(method, path) {
      const decision: FaultDecision = { latencyMs: 0 };
      if (active.length === 0) return decision;
      for (const entry of active) {
        const { rule } = entry;
        if (entry.remaining <= 0) continue;
        if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
        if (entry.pattern !== null && !entry.pattern.test(path)) continue;
        if (random() >= (rule.probability ?? 1)) continue;
        entry.remaining -= 1;
        decision.latencyMs += rule.latencyMs ?? 0;
        // The first firing rule that fails or drops decides the outcome; later ones only add latency.
        if (decision.status === undefined && decision.drop === undefined) {
          if (rule.drop !== undefined) decision.drop = rule.drop;
          else if (rule.status !== undefined) {
            decision.status = rule.status;
            decision.body = rule.body;
            decision.retryAfter = rule.retryAfter;
          }
        }
      }
      active = active.filter((entry) => entry.remaining > 0);
      return decision;
    },
  };
}
