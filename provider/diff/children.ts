// What an update does to a conversation's participants or scoped webhooks, child by child: pure,
// shared by the provider (which applies it), `check` and the plan renderer (which names each one).
import { containsUnknown, isUnknown } from "../domain/unknown";
import type { DeclaredRow } from "../domain/properties";
import { hasChild, type ChildKind, type DeclaredChild, type DeclaredChildren, type RecordedChild, type RecordedChildren } from "../resources/children-model";
import { propertyDiffers, valueDiffers } from "./compare";

export type ChildStep =
  | { key: string; action: "create" }
  | { key: string; action: "update"; changed: string[] }
  | { key: string; action: "replace"; field: string }
  | { key: string; action: "delete" };

/** The updatable fields whose declared value differs from what Twilio holds (a field left out is not managed). */
export function changedChildFields(kind: ChildKind, recorded: RecordedChild, declared: DeclaredChild): string[] {
  return kind.updatable.filter((field) => {
    const row = kind.table[field] as DeclaredRow;
    // Twilio never shows it: compared with what was declared.
    const held = row.answer === null ? recorded.declared[field] : recorded.held[field];
    return propertyDiffers(row, declared[field] ?? null, held ?? null);
  });
}

/** The first create-only field whose declared value differs from the one it was created with. */
export function changedCreateOnlyField(kind: ChildKind, recorded: RecordedChild, declared: DeclaredChild): string | undefined {
  return kind.createOnly.find((field) => valueDiffers(declared[field], recorded.declared[field]));
}

/**
 * The steps that turn the recorded children into the declared ones, in the order they run: the
 * deletes of removed children first (a new one may take the identity or binding a removed one
 * held), then each declared one in the file's order. A replacement deletes before it creates for
 * the same reason. Children that need nothing are left out.
 */
export function childSteps(kind: ChildKind, recorded: RecordedChildren, declared: DeclaredChildren): ChildStep[] {
  const steps: ChildStep[] = Object.keys(recorded)
    .filter((key) => !hasChild(declared, key))
    .map((key) => ({ key, action: "delete" as const }));
  for (const [key, wanted] of Object.entries(declared)) {
    const held = hasChild(recorded, key) ? recorded[key] : undefined;
    if (!held) {
      steps.push({ key, action: "create" });
      continue;
    }
    const field = changedCreateOnlyField(kind, held, wanted);
    if (field) {
      steps.push({ key, action: "replace", field });
      continue;
    }
    const changed = changedChildFields(kind, held, wanted);
    if (changed.length > 0) steps.push({ key, action: "update", changed });
  }
  return steps;
}

/** Whether the declared children ask for any change (unknown ones, in preview, might). */
export function childrenChange(kind: ChildKind, recorded: RecordedChildren | undefined, declared: DeclaredChildren | undefined): boolean {
  const wanted = declared ?? {};
  if (isUnknown(wanted) || Object.values(wanted).some(isUnknown)) return true;
  if (Object.values(wanted).some((child) => kind.createOnly.some((field) => containsUnknown(child[field])))) return true;
  return childSteps(kind, recorded ?? {}, wanted).length > 0;
}
