#!/usr/bin/env node
// The `qfin` command. Runs the CLI compiled to lib/ by `npm run prepare` (npm install/ci runs it).
"use strict";

const path = require("path");

const compiledCli = path.join(__dirname, "..", "lib", "cli", "main.js");
let cli;
try {
  cli = require(compiledCli);
} catch (error) {
  if (error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes(compiledCli)) {
    process.stderr.write('qfin: the command is not built yet (lib/ is missing). Run "npm install" or "npm run prepare".\n');
    process.exitCode = 1;
  } else {
    throw error;
  }
}

// `qfin items | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

if (cli) cli.main(process.argv.slice(2));
