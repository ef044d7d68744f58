// Program side: what every resource class does around its registration.

/**
 * Turns V8's stack capture off until the returned function is called; a resource constructor wraps
 * its `super(...)` call in it. While registering a resource the Pulumi SDK makes four promises per
 * property, and captures a stack for each only to name leaked promises at exit. Under the language
 * host's source-map support each capture maps every frame through source maps: 150 conversations
 * spent 1.2 s of the program's time there before the engine heard of the first. The resource's own
 * source position is kept: the SDK captures it under a limit it sets itself.
 */
export function withoutPromiseStacks(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
