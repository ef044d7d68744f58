import type { Settings } from "../config";
import { TwilioConversationsError, type ErrorContext } from "../errors";

/**
 * Why a 404 cannot be trusted to mean "deleted": the object was made in another account or on
 * another host than the provider now talks to (credentials or region changed). Null when it can.
 */
export function untrustedNotFound(olds: { accountSid: string | null; url: string | null }, settings: Settings): string | null {
  if (olds.accountSid && settings.accountSid && olds.accountSid !== settings.accountSid) {
    return `it was created in account ${olds.accountSid}, but the credentials now are for account ${settings.accountSid}`;
  }
  const createdAt = hostOf(olds.url);
  const now = hostOf(settings.baseUrl);
  if (createdAt && now && createdAt !== now) {
    return `it was created through ${createdAt}, but the provider now talks to ${now} (check twilio:region, twilio:edge and TWILIO_CONVERSATIONS_BASE_URL)`;
  }
  return null;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** Throws when a 404 for this object cannot be taken to mean that it is gone. */
export function refuseUntrustedNotFound(
  olds: { accountSid: string | null; url: string | null },
  settings: Settings,
  context: ErrorContext,
): void {
  const reason = untrustedNotFound(olds, settings);
  if (!reason) return;
  throw new TwilioConversationsError(
    {
      ...context,
      hint: "point the provider back at where the object lives; if it really is gone, remove it from the stack with `pulumi state delete <urn>`",
    },
    { status: 404, message: `Twilio answered 404, which is not taken to mean deleted: ${reason}` },
  );
}
