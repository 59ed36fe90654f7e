// `npm run probe`: runs test/hardening/probe/run-probe.ts through ts-node (transpile only; `npm run typecheck`
// type-checks it with the tests). Not part of `npm test`: the full probe takes about 7 minutes on this 2-core machine; probe.test.ts runs a
// bounded, seeded slice of it inside jest.
const { join } = require("path");

require("ts-node").register({ transpileOnly: true, project: join(__dirname, "..", "..", "tsconfig.json") });
require("./run-probe.ts");
