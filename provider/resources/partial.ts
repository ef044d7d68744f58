// When a create made the Twilio object but a later step of it failed, the engine must still record
// the object, or the next run would create it again. The dynamic-provider host reports an error
// carrying `id` and `properties` as "created, but failed to initialize"; the next `up` updates it.

export function createdButUnfinished(
  error: unknown,
  id: string,
  outputs: object,
  rawInputs: Record<string, unknown>,
  what: string,
  done = "created",
): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  failure.message = `${what} ${id} was ${done}, but ${failure.message}\nIt is recorded in the stack; run \`pulumi up\` again to finish.`;
  return Object.assign(failure, {
    id,
    // The host stores these as the resource's state, so they must carry the stored provider.
    properties: { ...outputs, __provider: rawInputs.__provider },
    reasons: [failure.message],
  });
}
