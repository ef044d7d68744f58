// Public surface of the local Twilio Conversations v1 emulator.
export {
  startEmulator,
  DEFAULT_CREDENTIALS,
  type EmulatorOptions,
  type RunningEmulator,
  type RequestLogEntry,
  type Credentials,
  type Dump,
} from "./server";
export type { FaultRule } from "./faults";
export { createStore, insertConversation, insertMessage, type Store } from "./store";
