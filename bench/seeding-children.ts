// Issue 10's seeding case: conversations with 4 messages, 3 participants and a scoped webhook each
// (see runWithChildren in seeding.ts, which shares its measurement with the plain case).
export { runWithChildren as run } from "./seeding";
