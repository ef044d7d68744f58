// The Pulumi program named in Pulumi.yaml. Pulumi calls an exported function and uses what it
// returns as the stack outputs.
import { runStackProgram } from "./stack-program";

export = runStackProgram;
