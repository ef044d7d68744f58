// One exit-code scheme for every command of `twilio-conversations-pulumi`: a code means the same
// thing whichever command gives it, so a CI step can branch on it without knowing the command.

export const EXIT = {
  /** valid (validate), no changes (plan), no drift (drift), done (github) */
  ok: 0,
  /** invalid stack file, pulumi failed, Twilio or GitHub refused */
  failed: 1,
  /** the plan holds changes: up would change something, in Twilio or only in the stack's state */
  changes: 2,
  /** Twilio differs from what the last up recorded */
  drift: 3,
  /** the command line itself is wrong (sysexits.h EX_USAGE) */
  usage: 64,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table every command's --help ends with. */
export const EXIT_CODES_TEXT = `Exit codes (the same for every command):
  0   valid / no changes / no drift
  1   failed: an invalid stack file, pulumi failed, Twilio or GitHub refused
  2   changes: up would change something, in Twilio or only in the stack's state (plan)
  3   drift: Twilio differs from what the last up recorded (drift, github on main)
  64  usage error: an unknown command or option, a missing or bad value`;
