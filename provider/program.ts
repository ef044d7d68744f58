// The path package.json names as `main` and as `exports["."].default` (the program pulumi runs for
// a project whose package.json has exports), and that a user's Pulumi.yaml may name: it stays, and
// runs the program in program/main.ts.
import program from "./program/main";
export = program;
