/**
 * The one stub of the Excel host for jest: `CustomFunctions.Error`/`ErrorCode` exist only inside Excel. The same
 * stand-ins the standalone preview installs in a plain browser (src/addin/preview-host.ts) are installed here, so
 * the real adapter code runs unchanged; `associate` is a no-op (custom-functions-metadata appends calls to it).
 */
import { installPreviewCustomFunctions } from "../../src/addin/preview-host";

installPreviewCustomFunctions();
(globalThis as unknown as { CustomFunctions: { associate?: () => void } }).CustomFunctions.associate ??= () => undefined;
