/**
 * Inputs as they are stored in state and shown in plans: a property that is not declared (null or
 * undefined) or that holds its default is left out. State then carries no explicit nulls, and
 * `preview --diff` of a create lists only what the stack file says. Only the top level is pruned:
 * inside a value (attributes, timers) a null means what it says.
 */
export function withoutUndeclared<T extends object>(inputs: T, defaults: object = {}): { [K in keyof T]?: NonNullable<T[K]> } {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value === null || value === undefined) continue;
    if (Object.prototype.hasOwnProperty.call(defaults, key) && (defaults as Record<string, unknown>)[key] === value) continue;
    kept[key] = value;
  }
  return kept as { [K in keyof T]?: NonNullable<T[K]> };
}
