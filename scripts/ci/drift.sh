#!/usr/bin/env bash
# Drift check for the main branch: reads Twilio (`pulumi refresh --preview-only`, nothing written)
# and fails when it differs from what the last `up` recorded in the stack's state. The stack file is
# not read: changes merged but not applied yet are not drift. See README, "Drift: what changed in
# Twilio since the last `up`".
#
#   scripts/ci/drift.sh STACK
#
# Exit: 0 no drift, 3 drift found (the differences are printed), 1 reading Twilio failed.
set -euo pipefail

stack="${1:?usage: scripts/ci/drift.sh STACK}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
code=0
node "$root/scripts/plan.js" --stack "$stack" --format markdown --drift > "$report" || code=$?
cat "$report"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  { printf '### Drift of stack `%s`\n\n' "$stack"; cat "$report"; } >> "$GITHUB_STEP_SUMMARY"
fi
case "$code" in
  0) echo "no drift in stack ${stack}" >&2 ;;
  3) echo "stack ${stack} has drifted: Twilio differs from what the last up recorded (above)" >&2 ;;
  *) echo "the drift check of stack ${stack} failed (exit ${code})" >&2 ;;
esac
exit "$code"
