// Public surface of the local Twilio Conversations v1 emulator.
export { startEmulator, type RunningEmulator } from "./server";
export { DEFAULT_CREDENTIALS, type EmulatorOptions, type RequestLogEntry, type Credentials } from "./emulation";
export type { Dump } from "./admin";
export type { FaultRule } from "./faults";
export { createStore, insertConversation, insertMessage } from "./store";
export type { Store } from "./records";
