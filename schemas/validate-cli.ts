// `npm run validate -- FILE…`: checks stack files offline. Exit 0 when every file is valid, 1 when
// any has a problem, 2 on a usage error.
import { loadStackFile } from "./load";
import { renderProblems, type Problem } from "./problems";

const USAGE = "usage: npm run validate -- STACK_FILE.yaml [STACK_FILE.yaml …]";

export function validateFiles(
  files: readonly string[],
  output: { out: (line: string) => void; err: (text: string) => void },
): number {
  if (files.length === 0 || files.some((file) => file.startsWith("-"))) {
    output.err(USAGE);
    return 2;
  }
  const problems: Problem[] = [];
  for (const file of files) {
    const result = loadStackFile(file);
    if (result.ok) output.out(`ok ${file}`);
    else problems.push(...result.problems);
  }
  if (problems.length === 0) return 0;
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  output.err(`${renderProblems(problems)}\n\n${count}`);
  return 1;
}

if (require.main === module) {
  process.exitCode = validateFiles(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
