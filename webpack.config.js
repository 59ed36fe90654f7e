// @ts-check
/**
 * Builds and serves the add-in.
 *
 *   npm start                               https://localhost:3000 (self-signed certificate), the add-in and its
 *                                           standalone preview (taskpane.html in a plain browser)
 *   npm run build:dev                       dist/ for https://localhost:3000 (development mode)
 *   ADDIN_HOST=https://host/path ADDIN_SUPPORT_EMAIL=help@host npm run build
 *                                           the production dist/: every https://localhost:3000 URL in manifest.xml
 *                                           rewritten to that host, functions.json's help links on it, the support
 *                                           page giving that address. Refused without both (a production manifest
 *                                           pointing at localhost is of no use to anyone).
 *
 * Output names are fixed (no content hashes): the manifest refers to functions.js, functions.json and
 * taskpane.html by name. The dataset is also published beside them for the taskpane's Refresh:
 * data/dataset.<sha12>.json (never changes once published) and data/latest.json (the pointer to the newest).
 */
const { createHash } = require("crypto");
const { readFileSync } = require("fs");
const path = require("path");
const { URL } = require("url");
const { Compilation, DefinePlugin, NormalModuleReplacementPlugin, sources } = require("webpack");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");

// The build reads two things from the add-in's TypeScript rather than repeating them here: functions.json, generated
// from the function catalogue, and how a dataset is published. ts-node compiles them on require (build time only).
require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
/** @type {{ functionsMetadata: (origin: string) => unknown }} */
const { functionsMetadata } = require("./src/addin/functions-metadata.ts");
/** @type {{ publication: (sha256: string, releases: { id: string, date: string }[], revision?: number) => { file: string, pointer: unknown }, releaseTextPath: (release: { id: string, sha256: string }) => string }} */
const { publication, releaseTextPath } = require("./src/addin/dataset-publication.ts");
/** @type {{ loadDataset: (json: unknown) => unknown }} */
const { loadDataset } = require("./src/core/load-dataset.ts");

/** The development origin written in manifest.xml and the functions' @helpurl tags. */
const DEV_ORIGIN = "https://localhost:3000";
const DEV_PORT = 3000;
/** Add-ins must load office.js from Microsoft's CDN; development and the offline preview use the npm copy. */
const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OFFICE_JS_LOCAL_PATH = "/office-js";
const OFFICE_JS_DIST = path.resolve(__dirname, "node_modules/@microsoft/office-js/dist");

/** Where the Office help pages of office.js live in the npm copy: its code asks for `AgaveErrorUX/`, the folder is lower case. */
const OFFICE_JS_ERROR_UX = "agaveerrorux";

/** The dataset the functions bundle embeds and the build publishes. */
const DATASET_FILE = path.resolve(__dirname, "data/dataset.json");

/**
 * ADDIN_DATA_REVISION: 0 (unset) for the dataset a release first came in; 1, 2, … to publish a correction of the same
 * release, which the add-in takes only with a higher revision than the one in use (see docs/publishing.md).
 *
 * @returns {number}
 */
function dataRevision() {
  const text = process.env.ADDIN_DATA_REVISION ?? "";
  if (text === "") return 0;
  if (!/^\d{1,9}$/.test(text)) throw new BuildSettingsError(`ADDIN_DATA_REVISION must be a whole number from 0 (the correction of the release being published), got "${text}". See docs/publishing.md.`);
  return Number(text);
}

/**
 * What the build publishes for the dataset file, from its bytes: its version (the first 12 hex digits of its
 * SHA-256), revision and the versioned file and pointer src/addin/dataset-publication.ts defines. Throws if the
 * dataset does not validate.
 *
 * @param {Buffer} bytes the bytes of data/dataset.json
 */
function datasetPublication(bytes) {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  /** @type {{ releases?: { id: string, date: string }[] }} */
  const dataset = JSON.parse(bytes.toString("utf8"));
  // The bundle embeds this dataset and trusts it at start-up (src/addin/embedded-dataset.ts), so it is validated
  // here, in full: an invalid dataset fails the build, naming the problem.
  loadDataset(dataset);
  const revision = dataRevision();
  const { file, pointer } = publication(sha256, dataset.releases ?? [], revision);
  return { version: /** @type {{ version: string }} */ (pointer).version, revision, file, pointer };
}

/** Emits functions.json, generated from the function catalogue with help links on `origin`. */
class FunctionsMetadataPlugin {
  /** @param {string} origin */
  constructor(origin) {
    this.origin = origin;
  }

  /** @param {import("webpack").Compiler} compiler */
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("FunctionsMetadataPlugin", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "FunctionsMetadataPlugin", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        compilation.emitAsset("functions.json", new sources.RawSource(`${JSON.stringify(functionsMetadata(this.origin), null, 2)}\n`));
      });
    });
  }
}

/**
 * The text of each release the dataset was read from (its `file`, relative to the project), checked against the
 * SHA-256 the dataset records: the pane quotes its lines by number, so it must be that very text.
 *
 * @param {Buffer} datasetBytes
 * @returns {{ path: string, file: string, bytes: Buffer }[]}
 */
function releaseTexts(datasetBytes) {
  /** @type {{ releases?: { id: string, file: string, sha256: string }[] }} */
  const dataset = JSON.parse(datasetBytes.toString("utf8"));
  return (dataset.releases ?? []).map((release) => {
    const file = path.resolve(__dirname, release.file);
    const bytes = readFileSync(file);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (sha256 !== release.sha256) throw new Error(`${release.file} is not the text release ${release.id} of data/dataset.json was read from (SHA-256 ${sha256}, the dataset records ${release.sha256}); run npm run dataset`);
    return { path: releaseTextPath(release), file, bytes };
  });
}

/**
 * Emits data/dataset.<sha12>.json (the bytes of data/dataset.json), data/latest.json (its pointer) and the text of
 * each release it holds (data/releases/<id>.<sha12>.txt, which the pane quotes), in builds and from the dev server
 * alike. A static host should serve latest.json uncached and the versioned files as immutable.
 */
class PublishDatasetPlugin {
  /** @param {import("webpack").Compiler} compiler */
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("PublishDatasetPlugin", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "PublishDatasetPlugin", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        compilation.fileDependencies.add(DATASET_FILE);
        const bytes = readFileSync(DATASET_FILE);
        const publication = datasetPublication(bytes);
        compilation.emitAsset(`data/${publication.file}`, new sources.RawSource(bytes));
        compilation.emitAsset("data/latest.json", new sources.RawSource(`${JSON.stringify(publication.pointer, null, 2)}\n`));
        for (const text of releaseTexts(bytes)) {
          compilation.fileDependencies.add(text.file);
          compilation.emitAsset(text.path, new sources.RawSource(text.bytes));
        }
      });
    });
  }
}

/**
 * chevrotain (fast-formula-parser's parser toolkit) ships a parser *generator* built on `new Function`. The
 * formula engine never generates parsers at run time, so the bundles get this stand-in instead: no code
 * evaluation in the add-in, which keeps it compatible with a strict Content-Security-Policy.
 */
const CHEVROTAIN_CODEGEN_STUB =
  "data:text/javascript," +
  encodeURIComponent(
    'const unavailable = () => { throw new Error("chevrotain parser generation is not part of the QFIN add-in"); };\n' +
      "export { unavailable as generateParserFactory, unavailable as generateParserModule };\n",
  );

/**
 * The taskpane's Content-Security-Policy (a meta tag: the add-in may be served by any static host). Scripts only
 * from the add-in's own origin and Microsoft's office.js CDN (office.js loads its host-specific scripts from
 * there), plus the one file office.js fetches from ajax.aspnetcdn.com where an older Windows Excel lacks its built-in
 * MicrosoftAjax (/ajax/3.5/MicrosoftAjax.js; a path without a trailing slash matches that file only); no inline script
 * and no eval. Styles allow
 * 'unsafe-inline' because office.js (excel-web-16.00.js) sets inline styles and the page keeps its own small
 * stylesheet inline; Fluent's constructed stylesheets are not subject to style-src. Development adds the dev
 * server's websocket.
 *
 * @param {boolean} production
 */
function contentSecurityPolicy(production) {
  const officeHosts = `https://appsforoffice.microsoft.com ${MICROSOFT_AJAX_URL}`;
  const connect = ["'self'", "https://appsforoffice.microsoft.com", "https://browser.pipe.aria.microsoft.com"];
  if (!production) connect.push(`wss://localhost:${DEV_PORT}`);
  return [
    "default-src 'self'",
    `script-src 'self' ${officeHosts}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    // office.js frames its telemetry page.
    "frame-src 'self' https://telemetryservice.firstpartyapps.oaspapps.com https://*.office.com https://*.officeapps.live.com https://*.microsoft.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}

/** The only file office.js loads from ajax.aspnetcdn.com (older Windows hosts; see docs/publishing.md). */
const MICROSOFT_AJAX_URL = "https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js";

/**
 * A production build's settings that the build cannot know, refused as one error naming what to set. webpack-cli prints
 * a configuration error with its stack, which is noise here: the stack is the message.
 */
class BuildSettingsError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "BuildSettingsError";
    this.stack = `npm run build refused: ${message}`;
  }
}

const SUPPORT_EMAIL = /^[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}$/;

/**
 * The production host (ADDIN_HOST: https, no trailing slash) and support address (ADDIN_SUPPORT_EMAIL), both
 * required: without them the manifest would point every URL at https://localhost:3000 and the support page at no one.
 *
 * @returns {{ origin: string, supportEmail: string }}
 */
function productionSettings() {
  const host = process.env.ADDIN_HOST ?? "";
  const email = process.env.ADDIN_SUPPORT_EMAIL ?? "";
  const example = "ADDIN_HOST=https://addins.example.com/qfin ADDIN_SUPPORT_EMAIL=qfin-support@example.com npm run build";
  /** @type {string[]} */
  const problems = [];
  let origin = "";
  if (host === "") {
    problems.push("ADDIN_HOST is not set: set it to the https URL the add-in will be served from");
  } else {
    let url = null;
    try {
      url = new URL(host);
    } catch {
      problems.push(`ADDIN_HOST must be an absolute https URL, got "${host}"`);
    }
    if (url !== null && url.protocol !== "https:") problems.push(`ADDIN_HOST must use https (Office requires it), got "${host}"`);
    else if (url !== null) origin = url.href.replace(/\/+$/, "");
  }
  if (email === "") problems.push("ADDIN_SUPPORT_EMAIL is not set: set it to the address the support page gives analysts");
  else if (!SUPPORT_EMAIL.test(email)) problems.push(`ADDIN_SUPPORT_EMAIL must be an email address, got "${email}"`);
  if (problems.length > 0) {
    throw new BuildSettingsError(
      `${problems.join("; ")}. For example: ${example}. For a build on https://localhost:3000, use npm run build:dev or npm start. See docs/publishing.md.`,
    );
  }
  return { origin, supportEmail: email };
}

/**
 * A manifest element's text (the build reads ProviderName and Version from manifest.xml rather than repeat them).
 *
 * @param {string} name
 */
function manifestText(name) {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(readFileSync(path.resolve(__dirname, "manifest.xml"), "utf8"));
  if (!match) throw new Error(`manifest.xml has no <${name}>`);
  return match[1].trim();
}

/** Replaces every occurrence of the development origin (a global replace, not the first match). */
const rewriteOrigin = (text, origin) => text.split(DEV_ORIGIN).join(origin);

function printSideloadInstructions() {
  const lines = [
    "",
    `QFIN for Excel is served at ${DEV_ORIGIN} (self-signed certificate).`,
    "",
    `  Standalone preview (any browser): ${DEV_ORIGIN}/taskpane.html`,
    "    Accept the certificate warning once; Excel on the web needs that too.",
    "",
    "  Excel on the web: open a workbook > Home > Add-ins > More Add-ins > My Add-ins >",
    "    Upload My Add-in > choose manifest.xml from this folder. The QFIN functions appear as =QFIN.… and",
    "    the QFIN Data button on the Home tab opens the taskpane.",
    "",
    "  Excel desktop: trust the certificate first (it is in node_modules/.cache/webpack-dev-server/server.pem),",
    "    then Windows: put manifest.xml in a shared folder, add it under File > Options > Trust Center >",
    "    Trusted Add-in Catalogs, restart Excel, Home > Add-ins > Shared Folder;",
    "    macOS: copy manifest.xml to ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef/ and restart Excel.",
    "",
    `  Function reference: ${DEV_ORIGIN}/help.html    Support page: ${DEV_ORIGIN}/support.html`,
    "",
  ];
  console.log(lines.join("\n"));
}

/**
 * @param {Record<string, unknown>} _env
 * @param {{ mode?: string }} argv
 * @returns {import("webpack").Configuration & { devServer?: import("webpack-dev-server").Configuration }}
 */
module.exports = (_env, argv) => {
  const production = argv.mode === "production";
  const settings = production ? productionSettings() : null;
  // Checked here too, so a bad value refuses the build before anything is compiled.
  dataRevision();
  const origin = settings?.origin ?? null;
  const officeJsUrl = production ? OFFICE_JS_CDN : `${OFFICE_JS_LOCAL_PATH}/office.js`;

  return {
    mode: production ? "production" : "development",
    // No eval-based source maps, even in development: add-in runtimes may forbid eval.
    devtool: production ? "source-map" : "inline-source-map",
    entry: {
      // Excel loads functions.js on its own (Script URL); the taskpane page loads it first and shares its
      // modules (one dataset, one registry), so the taskpane entry depends on it instead of repeating it.
      functions: "./src/addin/custom-functions.ts",
      taskpane: { import: "./src/taskpane/taskpane.ts", dependOn: "functions" },
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      // The formula engine, loaded by the workbench on first use (src/taskpane/workbench.ts): formula-engine.js.
      chunkFilename: "[name].js",
      // Files load relative to the page, which sits beside them. Set, not "auto": webpack's automatic public path
      // throws in a runtime without document.currentScript, and functions.js carries the chunk loader.
      publicPath: "",
      clean: true,
    },
    resolve: { extensions: [".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            // Type-checked build (not transpileOnly); ES modules so webpack can tree-shake.
            // The root tsconfig (the browser bundles' types); each room's own tsconfig only type-checks it in CI.
            options: { configFile: path.resolve(__dirname, "tsconfig.json"), onlyCompileBundledFiles: true, compilerOptions: { module: "es2020", sourceMap: true } },
          },
        },
      ],
    },
    plugins: [
      new NormalModuleReplacementPlugin(/[\\/]generate[\\/]generate_public(\.js)?$/, (resource) => {
        if (/[\\/]chevrotain[\\/]/.test(resource.context ?? "")) resource.request = CHEVROTAIN_CODEGEN_STUB;
      }),
      new FunctionsMetadataPlugin(origin ?? DEV_ORIGIN),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["functions", "taskpane"],
        templateParameters: { officeJsUrl, contentSecurityPolicy: contentSecurityPolicy(production) },
      }),
      new HtmlWebpackPlugin({
        filename: "help.html",
        template: "./src/functions/help-page.ts",
        inject: false,
      }),
      new HtmlWebpackPlugin({
        filename: "support.html",
        template: "./src/addin/support-page.ts",
        inject: false,
        templateParameters: { publisher: manifestText("ProviderName"), version: manifestText("Version"), supportEmail: settings?.supportEmail ?? null },
      }),
      new CopyWebpackPlugin({
        patterns: [
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) => (origin ? rewriteOrigin(content.toString(), origin) : content),
          },
          { from: "assets/*.png", to: "assets/[name][ext]" },
          // The licence notices of the third-party code in the bundles (generated by `npm run licences`).
          { from: "docs/third-party-notices.txt", to: "third-party-notices.txt" },
        ],
      }),
      new PublishDatasetPlugin(),
      // The embedded dataset's version, computed the way the published one's is, so Refresh can tell whether the
      // host has something newer. Re-evaluated when data/dataset.json changes (watch mode).
      new DefinePlugin({
        __QFIN_EMBEDDED_DATASET__: DefinePlugin.runtimeValue(
          () => {
            const { version, revision } = datasetPublication(readFileSync(DATASET_FILE));
            return JSON.stringify({ version, revision });
          },
          { fileDependencies: [DATASET_FILE] },
        ),
      }),
    ],
    // The formula engine's chunk is one file with its libraries (no numbered vendor chunk beside it).
    optimization: { splitChunks: false },
    performance: {
      // The functions bundle embeds the whole dataset on purpose (no network at calculation time).
      maxAssetSize: 4 * 1024 * 1024,
      maxEntrypointSize: 4 * 1024 * 1024,
    },
    devServer: {
      host: "localhost",
      port: DEV_PORT,
      // webpack-dev-server generates and caches its own self-signed localhost certificate: no sudo needed.
      server: "https",
      headers: { "Access-Control-Allow-Origin": "*" },
      static: [
        { directory: OFFICE_JS_DIST, publicPath: OFFICE_JS_LOCAL_PATH, watch: false },
        // office.js asks for AgaveErrorUX/…; the npm copy's folder is agaveerrorux/ (a 404 on a case-sensitive disk).
        { directory: path.join(OFFICE_JS_DIST, OFFICE_JS_ERROR_UX), publicPath: `${OFFICE_JS_LOCAL_PATH}/AgaveErrorUX`, watch: false },
      ],
      hot: false,
      // Build errors cover the page; runtime errors do not: the pane reports its own (a workbench formula that does not
      // parse is an answer to show, not a crash), and an overlay over a 350 px pane hides everything.
      client: { overlay: { warnings: false, errors: true, runtimeErrors: false } },
      onListening: printSideloadInstructions,
    },
  };
};
