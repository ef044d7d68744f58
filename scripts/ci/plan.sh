#!/usr/bin/env bash
# Pull-request plan: validates the stack files offline, previews the stack, shows the plan in the
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
marker="<!-- twilio-conversations-plan:${stack} -->"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

commenting() {
  [ -n "${GITHUB_TOKEN:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${PR_NUMBER:-}" ]
}

# The id of this stack's plan comment on the pull request, or nothing.
existing_comment() {
  gh api --paginate --slurp "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" |
    MARKER="$marker" node -e '
      let input = "";
      process.stdin.on("data", (chunk) => (input += chunk)).on("end", () => {
        const found = JSON.parse(input || "[]").flat().find((comment) => String(comment.body ?? "").startsWith(process.env.MARKER));
        if (found) process.stdout.write(String(found.id));
      });'
}

# comment BODY_FILE post|update-only: updates this stack's comment, or posts one unless update-only.
comment() {
  local body_file="$1" mode="$2" id
  export GH_TOKEN="${GH_TOKEN:-$GITHUB_TOKEN}"
  node -e 'process.stdout.write(JSON.stringify({ body: require("node:fs").readFileSync(process.argv[1], "utf8") }))' "$body_file" > "$work/request.json"
  id="$(existing_comment)"
  if [ -n "$id" ]; then
    gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${id}" --input "$work/request.json" > /dev/null
    echo "updated the plan comment on pull request #${PR_NUMBER}" >&2
  elif [ "$mode" = post ]; then
    gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments" --input "$work/request.json" > /dev/null
    echo "posted the plan comment on pull request #${PR_NUMBER}" >&2
  fi
}

# A failed run leaves no stale plan behind: an earlier comment is marked failed (why is in the job's
# log, not in the comment), and none is posted.
failed() {
  local code="$1" what="$2"
  echo "${what} of stack ${stack} failed (exit ${code}); no plan comment posted" >&2
  if commenting; then
    local run=""
    [ -z "${GITHUB_RUN_ID:-}" ] || run=" ([the run](${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}))"
    printf '%s\n### Plan of stack `%s`\n\n**%s failed**%s: see the job log. The plan shown before is out of date.\n' \
      "$marker" "$stack" "$what" "$run" > "$work/failed.md"
    comment "$work/failed.md" update-only || echo "could not update the plan comment" >&2
  fi
  exit "$code"
}

code=0
node "$root/dist/schemas/validate-cli.js" --format github "${files[@]}" || code=$?
[ "$code" -eq 0 ] || failed "$code" "Validation"

node "$root/scripts/plan.js" --stack "$stack" --format markdown > "$work/plan.md" || code=$?
case "$code" in
  0 | 2) ;;
  *) failed "$code" "The preview" ;;
esac

{ printf '%s\n### Plan of stack `%s`\n\n' "$marker" "$stack"; cat "$work/plan.md"; } > "$work/body.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$work/body.md" >> "$GITHUB_STEP_SUMMARY"
else
  cat "$work/body.md"
fi

if commenting; then
  comment "$work/body.md" post
else
  echo "not commenting on a pull request: GITHUB_TOKEN, GITHUB_REPOSITORY and PR_NUMBER are not all set" >&2
fi
