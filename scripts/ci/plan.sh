#!/usr/bin/env bash
# Pull-request plan: validates the stack file offline, previews the stack, shows the plan in the
# job summary and as one pull-request comment that later runs update. See README, "Reviewing
# changes in pull requests".
#
#   scripts/ci/plan.sh STACK [STACK_FILE...]     (stack files default to stacks/STACK.yaml)
#
# Comments only when GITHUB_TOKEN, GITHUB_REPOSITORY and PR_NUMBER are set (through `gh api`).
# Exit: 0 no changes or changes; non-zero when validation or the preview fails.
set -euo pipefail

stack="${1:?usage: scripts/ci/plan.sh STACK [STACK_FILE...]}"
shift
files=("$@")
[ "${#files[@]}" -gt 0 ] || files=("stacks/${stack}.yaml")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

node "$root/dist/schemas/validate-cli.js" --format github "${files[@]}"

plan_file="$(mktemp)"
trap 'rm -f "$plan_file" "$plan_file.json"' EXIT
code=0
node "$root/scripts/plan.js" --stack "$stack" --format markdown > "$plan_file" || code=$?
case "$code" in
  0 | 2) ;;
  *) echo "the plan of stack ${stack} failed (exit ${code}); no comment posted" >&2; exit "$code" ;;
esac

marker="<!-- twilio-conversations-plan:${stack} -->"
body="$(printf '%s\n### Plan of stack `%s`\n\n%s\n' "$marker" "$stack" "$(cat "$plan_file")")"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  printf '%s\n' "$body" >> "$GITHUB_STEP_SUMMARY"
else
  printf '%s\n' "$body"
fi

if [ -z "${GITHUB_TOKEN:-}" ] || [ -z "${GITHUB_REPOSITORY:-}" ] || [ -z "${PR_NUMBER:-}" ]; then
  echo "not commenting on a pull request: GITHUB_TOKEN, GITHUB_REPOSITORY and PR_NUMBER are not all set" >&2
  exit 0
fi
export GH_TOKEN="${GH_TOKEN:-$GITHUB_TOKEN}"

BODY="$body" node -e 'process.stdout.write(JSON.stringify({ body: process.env.BODY }))' > "$plan_file.json"
existing="$(gh api --paginate --slurp "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" |
  MARKER="$marker" node -e '
    let input = "";
    process.stdin.on("data", (chunk) => (input += chunk)).on("end", () => {
      const comments = JSON.parse(input || "[]").flat();
      const found = comments.find((comment) => String(comment.body ?? "").startsWith(process.env.MARKER));
      if (found) process.stdout.write(String(found.id));
    });')"
if [ -n "$existing" ]; then
  gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${existing}" --input "$plan_file.json" > /dev/null
  echo "updated the plan comment on pull request #${PR_NUMBER}" >&2
else
  gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" --input "$plan_file.json" > /dev/null
  echo "posted the plan comment on pull request #${PR_NUMBER}" >&2
fi
