// The pull-request workflow's decisions (provider/cli/github.ts): which mode an event asks for,
// whether the job has credentials, which comment is ours, and what a comment says.
import { describe, expect, it } from "vitest";
import { commentBody, credentialsPresent, modeOf, ownComment, pullRequestOf } from "../../provider/cli/github";

describe("github command decisions", () => {
  it.each([
    ["pull_request", undefined, "pull-request"],
    ["pull_request_target", undefined, "pull-request"],
    ["push", undefined, "drift"],
    ["schedule", undefined, "drift"],
    [undefined, undefined, "drift"],
    ["push", "pull-request", "pull-request"],
    ["pull_request", "drift", "drift"],
  ] as const)("event %s with --mode %s plans as %s", (event, explicit, mode) => {
    expect(modeOf(event, explicit)).toBe(mode);
  });

  it("a pull request from a fork is one whose head repository is not the base's (or is deleted)", () => {
    const pr = (head: string | null) => ({ pull_request: { number: 7, head: { repo: head === null ? null : { full_name: head } }, base: { repo: { full_name: "acme/infra" } } } });
    expect(pullRequestOf(pr("acme/infra"))).toEqual({ number: 7, fromFork: false });
    expect(pullRequestOf(pr("someone/infra"))).toEqual({ number: 7, fromFork: true });
    expect(pullRequestOf(pr(null))).toEqual({ number: 7, fromFork: true });
    expect(pullRequestOf({ ref: "refs/heads/main" })).toBeNull();
    expect(pullRequestOf(null)).toBeNull();
  });

  it.each([
    [{}, false],
    [{ TWILIO_ACCOUNT_SID: "", TWILIO_AUTH_TOKEN: "", PULUMI_CONFIG_PASSPHRASE: "" }, false],
    [{ TWILIO_ACCOUNT_SID: "AC123" }, true],
    [{ PULUMI_ACCESS_TOKEN: "pul-123" }, true],
    [{ PULUMI_CONFIG_PASSPHRASE: "secret" }, true],
    [{ PULUMI_CONFIG_PASSPHRASE_FILE: "/run/passphrase" }, true],
  ])("credentials in %j: %s", (env, present) => {
    expect(credentialsPresent(env)).toBe(present);
  });

  it("finds its own comment by the stack's marker on the first line, not another stack's or a quote of it", () => {
    const comments = [
      { id: 1, body: "Looks good" },
      { id: 2, body: "> <!-- twilio-conversations-plan:dev -->\nquoted" },
      { id: 3, body: "<!-- twilio-conversations-plan:dev-eu -->\n### Plan" },
      { id: 4, body: "<!-- twilio-conversations-plan:dev -->\n### Plan" },
    ];
    expect(ownComment(comments, "dev")?.id).toBe(4);
    expect(ownComment(comments, "prod")).toBeUndefined();
  });

  it("a comment is the marker, the stack's heading and the plan, or why there is none", () => {
    expect(commentBody("dev", { plan: "**No changes.**" })).toBe("<!-- twilio-conversations-plan:dev -->\n### Plan of stack `dev`\n\n**No changes.**\n");
    expect(commentBody("dev", { failed: "The preview", runUrl: "https://github.com/acme/infra/actions/runs/9" })).toBe(
      "<!-- twilio-conversations-plan:dev -->\n### Plan of stack `dev`\n\n**The preview failed** ([the run](https://github.com/acme/infra/actions/runs/9)): see the job log. The plan shown before is out of date.\n",
    );
    expect(commentBody("dev", { skipped: "no credentials." })).toBe("<!-- twilio-conversations-plan:dev -->\n### Plan of stack `dev`\n\n**Not previewed:** no credentials.\n");
  });
});
