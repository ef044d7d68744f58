// Issue 26's seeding case: N × 4 in grouped seeding, `seeding: { groups }` with about 50
// conversations per group (see runGrouped in seeding.ts, which shares its measurement with the plain case).
export { runGrouped as run } from "./seeding";
