// `npm run bench`: runs bench/main.ts through ts-node (transpile only; `npx tsc --noEmit -p bench/tsconfig.json`
// type-checks it). Not a test: it measures and writes bench/results.json.
const { join } = require("path");

require("ts-node").register({ transpileOnly: true, project: join(__dirname, "tsconfig.json") });
require("./main.ts");
