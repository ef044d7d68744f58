// One error factory for the whole emulator. Every failure the API can answer is built here, so the
// body shape `{code, message, more_info, status}` and the code/status pairs live in one place.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function errorBody(error: ApiError): ErrorBody {
  return {
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  };
}

// Twilio documents no HTTP status for the 503xx Conversations codes; 400 is the likely value and
// is what the emulator answers (UNVERIFIED).
const VALIDATION_STATUS = 400;
const DURATION_EXPECTED = "expected an ISO 8601 duration such as PT10M or P1D";

export const errors = {
  authenticate: () =>
    new ApiError(401, 20003, "Authenticate", { "WWW-Authenticate": 'Basic realm="Twilio API"' }),
  notFound: (path: string) => new ApiError(404, 20404, `The requested resource ${path} was not found`),
  methodNotAllowed: (method: string) => new ApiError(405, 20004, `Method not allowed: ${method}`),
  tooManyRequests: (detail: string) => new ApiError(429, 20429, `Too Many Requests: ${detail}`),
  // Generic validation failure with no documented Twilio code: the bare HTTP status is used as the
  // code, as Twilio's error dictionary does for "400 Bad Request" (status and code UNVERIFIED).
  invalidParameter: (message: string) => new ApiError(VALIDATION_STATUS, 400, message),
  // A request that can't be read at all: bad request line, header, encoding or body bytes.
  badRequest: (message: string) => new ApiError(400, 400, message),
  // Twilio's error 20413, "Request Entity Too Large" (https://www.twilio.com/docs/api/errors/20413).
  bodyTooLarge: (limitBytes: number) =>
    new ApiError(413, 20413, `Request Entity Too Large: the request body is over ${limitBytes} bytes`, { Connection: "close" }),
  // HTTP-level refusals (431, 408, 417, CONNECT): the bare status as the code, as for 400.
  protocol: (status: number, message: string) => new ApiError(status, status, message, { Connection: "close" }),
  duplicateUniqueName: () => new ApiError(409, 50353, "Conversation with provided unique name already exists"),
  // Conversation Participants: https://www.twilio.com/docs/api/errors/<code> (50211, 504xx). 50416
  // answers 409 in responses third-party code handles, and 50441 400 in one quoted on
  // twilio/terraform-provider-twilio#63; the other statuses are UNVERIFIED (409 for the clashes, as
  // for 50353 and 50416; 400 otherwise).
  participantIdentityWithAddress: () =>
    new ApiError(VALIDATION_STATUS, 50211, "Identity parameter not acceptable for this Participant: give Identity or MessagingBinding.Address, not both"),
  participantAddressInvalid: (value: string) => new ApiError(VALIDATION_STATUS, 50407, `Invalid messaging binding address '${value}'`),
  participantProxyAddressInvalid: (value: string) => new ApiError(VALIDATION_STATUS, 50408, `Invalid participant proxy address '${value}'`),
  participantAddressEqualsProxy: () => new ApiError(VALIDATION_STATUS, 50409, "Participant address equals proxy address"),
  participantAddressEmpty: () => new ApiError(VALIDATION_STATUS, 50411, "Participant address is empty"),
  participantProxyAddressEmpty: () => new ApiError(VALIDATION_STATUS, 50412, "Participant proxy address is empty"),
  participantBindingInUse: (conversationSid: string) =>
    new ApiError(409, 50416, `A binding for this participant and proxy address already exists in Conversation ${conversationSid}`),
  participantsLimit: (limit: number) => new ApiError(VALIDATION_STATUS, 50417, `Participants limit exceeded: a conversation has at most ${limit}`),
  nonChatParticipantsLimit: (limit: number) =>
    new ApiError(VALIDATION_STATUS, 50418, `Non-Chat participants limit exceeded: a conversation has at most ${limit}`),
  participantExists: () => new ApiError(409, 50433, "Participant already exists"),
  groupParticipantsLimit: (limit: number) =>
    new ApiError(VALIDATION_STATUS, 50436, `Participant limit exceeded for group conversation: at most ${limit}`),
  groupParticipantExists: () => new ApiError(409, 50437, "Group Participant already exists"),
  proxyAddressNotRemovable: () => new ApiError(VALIDATION_STATUS, 50440, "Failed to remove the proxy address of a participant: it has none"),
  proxyAddressNotAddable: () => new ApiError(VALIDATION_STATUS, 50441, "Failed to add a proxy address to a participant"),
  projectedAddressNotRemovable: () =>
    new ApiError(VALIDATION_STATUS, 50442, "Failed to remove the projected address of a participant: it has none"),
  projectedAddressNotAddable: () => new ApiError(VALIDATION_STATUS, 50443, "Failed to add a projected address to a participant"),
  identityNotAddable: () => new ApiError(VALIDATION_STATUS, 50444, "Failed to add an identity to a participant"),
  closedConversation: () =>
    new ApiError(VALIDATION_STATUS, 50377, "Conversation can't be updated, it's in final closed state"),
  createClosed: () => new ApiError(VALIDATION_STATUS, 50384, "Conversation can't be created in closed state"),
  initializing: () =>
    new ApiError(VALIDATION_STATUS, 50386, "Conversation can't be updated, it's in initializing state"),
  inactiveTimerTooShort: () =>
    new ApiError(VALIDATION_STATUS, 50375, "Inactive timer value must be at least 1 minute (PT1M)"),
  closedTimerTooShort: () =>
    new ApiError(VALIDATION_STATUS, 50376, "Closed timer value must be at least 10 minutes (PT10M)"),
  // A duration whose end is past the latest date the emulator answers gets the format error too,
  // with that reason (Twilio documents no longest timer: the emulator's reading).
  inactiveTimerFormat: (value: string, reason = DURATION_EXPECTED) =>
    new ApiError(VALIDATION_STATUS, 50379, `Invalid inactive timer format '${value}': ${reason}`),
  closedTimerFormat: (value: string, reason = DURATION_EXPECTED) =>
    new ApiError(VALIDATION_STATUS, 50380, `Invalid closed timer format '${value}': ${reason}`),
  timersWithoutState: () => new ApiError(VALIDATION_STATUS, 50382, "Timer can't be set without state"),
  // 50303/50304/50504 are Programmable Chat codes; their reuse by Conversations is UNVERIFIED.
  attributesTooLong: (limitBytes: number) =>
    new ApiError(VALIDATION_STATUS, 50303, `Attributes must be at most ${limitBytes} bytes`),
  attributesNotJson: () => new ApiError(VALIDATION_STATUS, 50304, "Attributes must be a valid JSON string"),
  bodyTooLong: (limitChars: number) =>
    new ApiError(VALIDATION_STATUS, 50504, `Message body must be at most ${limitChars} characters`),
  contentVariablesNotObject: () =>
    new ApiError(VALIDATION_STATUS, 50527, "ContentVariables must be a valid JSON object"),
  contentVariableTooLong: (key: string) =>
    new ApiError(VALIDATION_STATUS, 50541, `ContentVariables value for '${key}' exceeds 256 characters`),
  invalidPageToken: () => new ApiError(VALIDATION_STATUS, 21481, "Invalid PageToken"),
  // Conversation-scoped webhooks: https://www.twilio.com/docs/api/errors/<code> for 50361–50371.
  tooManyWebhooks: (limit: number) =>
    new ApiError(VALIDATION_STATUS, 50361, `Too many conversation webhooks: a conversation can have at most ${limit}`),
  tooManyWebhookTriggers: (limit: number) =>
    new ApiError(VALIDATION_STATUS, 50362, `Too many conversation webhook triggers: at most ${limit} keywords`),
  webhookTargetInvalid: (target: string) =>
    new ApiError(VALIDATION_STATUS, 50364, `Invalid conversation webhook target '${target}': expected webhook, trigger or studio`),
  webhookFilterInvalid: (filter: string) => new ApiError(VALIDATION_STATUS, 50365, `Invalid conversation webhook filter '${filter}'`),
  webhookTriggerInvalid: (limitChars: number) =>
    new ApiError(VALIDATION_STATUS, 50366, `Invalid conversation webhook trigger: a keyword must be 1 to ${limitChars} characters`),
  webhookFlowSidInvalid: () =>
    new ApiError(VALIDATION_STATUS, 50367, "Invalid conversation webhook flow SID: Configuration.FlowSid must match ^FW[0-9a-fA-F]{32}$"),
  webhookTargetMissing: () => new ApiError(VALIDATION_STATUS, 50368, "Conversation webhook target not provided"),
  webhookUrlMissing: () => new ApiError(VALIDATION_STATUS, 50369, "Conversation webhook URL not provided"),
  webhookFiltersMissing: () => new ApiError(VALIDATION_STATUS, 50370, "Conversation webhook filter not provided"),
  webhookTriggersMissing: () => new ApiError(VALIDATION_STATUS, 50371, "Conversation webhook trigger not provided"),
  // Users: Programmable Chat's user codes (50201–50207); their reuse by Conversations is UNVERIFIED.
  duplicateIdentity: () => new ApiError(409, 50201, "User with provided identity already exists"),
  identityReserved: (identity: string) => new ApiError(VALIDATION_STATUS, 50203, `Identity '${identity}' is reserved`),
  identityMissing: () => new ApiError(VALIDATION_STATUS, 50204, "Missing required parameter Identity in the post body"),
  identityLikeUserSid: () => new ApiError(VALIDATION_STATUS, 50206, "Identity should not match the user SID pattern US[0-9a-f]{32}"),
  identityTooLong: (limitChars: number) =>
    new ApiError(VALIDATION_STATUS, 50207, `Identity must be at most ${limitChars} characters`),
  // Roles and service configuration: Programmable Chat's role codes (https://www.twilio.com/docs/api/errors/<code>);
  // their reuse by Conversations, and the 400 status, are UNVERIFIED.
  roleNotFound: (roleSid: string) => new ApiError(VALIDATION_STATUS, 50100, `Role not found: ${roleSid} is not a service role of this service`),
  permissionNotFound: (permission: string, type: string) =>
    new ApiError(VALIDATION_STATUS, 50104, `Permission not found: '${permission.slice(0, 200)}' is not a ${type} role permission`),
  roleTypeInvalid: (type: string) => new ApiError(VALIDATION_STATUS, 50105, `Invalid role type '${type.slice(0, 200)}': expected conversation or service`),
  conversationRoleNotFound: (roleSid: string) =>
    new ApiError(VALIDATION_STATUS, 50109, `Conversation role not found: ${roleSid} is not a conversation role of this service`),
  // Account-level resources. 50050 (Chat's "Service Instance not found") and 50341 ("Conversations:
  // Invalid messaging service SID") are documented codes whose status is UNVERIFIED; 70105 ("Invalid
  // Type Specified in the Request", for push credential types) and 21243 ("Credential Validation
  // Error") come from https://www.twilio.com/docs/api/errors/<code>, statuses UNVERIFIED. No code was
  // found for a second configuration of one address: 409 with the bare status (UNVERIFIED).
  serviceNotFound: (sid: string) => new ApiError(VALIDATION_STATUS, 50050, `Service Instance not found: ${sid}`),
  invalidMessagingServiceSid: () =>
    new ApiError(VALIDATION_STATUS, 50341, "Invalid messaging service SID: DefaultMessagingServiceSid must match ^MG[0-9a-fA-F]{32}$"),
  addressConfigurationExists: () => new ApiError(409, 409, "An address configuration already exists for this address"),
  credentialTypeInvalid: (message: string) => new ApiError(VALIDATION_STATUS, 70105, `Invalid Type Specified in the Request: ${message}`),
  credentialInvalid: (message: string) => new ApiError(VALIDATION_STATUS, 21243, `Credential Validation Error: ${message}`),
  injected: (status: number, retryAfter?: number) =>
    new ApiError(
      status,
      INJECTED_CODES[status] ?? status,
      INJECTED_MESSAGES[status] ?? "Injected fault",
      retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) },
    ),
};

const INJECTED_CODES: Record<number, number> = { 429: 20429, 500: 20500, 503: 20503 };
const INJECTED_MESSAGES: Record<number, string> = {
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
