// One cheap authenticated read that proves the credentials and the target before a plan is shown.
import { credentialsHint, type Settings } from "../config";
import { TwilioConversationsError, type ErrorContext } from "../errors";
import { send, type Transport, type TwilioRequest } from "./http";
import { CONFIGURATION_ANSWER, CONFIGURATION_PATH, SERVICE_ANSWER, servicePath } from "./wire";

const CONTEXT: ErrorContext = { operation: "verify the Twilio credentials and target" };

/**
 * The read that verifies a run's target: the declared service, or else the account's
 * Conversations configuration (the default service needs no SID, and any valid credentials of
 * the account may read it).
 */
export function targetRequest(serviceSid: string | null): TwilioRequest {
  return serviceSid
    ? { method: "GET", path: servicePath(serviceSid), kind: "read", notFoundIsNull: true, context: CONTEXT, answer: SERVICE_ANSWER }
    : { method: "GET", path: CONFIGURATION_PATH, kind: "read", context: CONTEXT, answer: CONFIGURATION_ANSWER };
}

/** Fails, with what to fix, when the credentials are missing or refused, or the service is not there. */
export async function verifyTarget(transport: Transport, serviceSid: string | null): Promise<void> {
  const found = await send(transport, targetRequest(serviceSid));
  if (found === null && serviceSid) throw missingService(transport.settings, serviceSid);
}

function missingService(settings: Settings, serviceSid: string): TwilioConversationsError {
  const account = settings.accountSid ? `account ${settings.accountSid}` : "the account of these credentials";
  return new TwilioConversationsError(
    {
      ...CONTEXT,
      hint: `check chatServiceSid in the stack file, or whether these are the credentials of the account that holds it (${credentialsHint(settings.namespace)})`,
    },
    { status: 404, message: `service ${serviceSid} does not exist in ${account}` },
  );
}
