/**
 * The data version line and Refresh: checks the add-in's host for newer data and, when there is some, downloads,
 * verifies, swaps and recalculates (see src/addin/refresh.ts), showing each step; on failure it says why and that the
 * data in use stays.
 */
import { activeVersion, refreshFromHost, RefreshError } from "../addin/refresh";
import type { Session } from "../addin/session";
import { byId } from "./dom";
import { reason } from "./confirm";

export interface RefreshPanel {
  /** Shows the version of the data in use. */
  showVersion(): void;
  /** Refreshes from the host; `quiet` (the check at start) says nothing while there is nothing new. */
  run(quiet: boolean): Promise<void>;
}

export function refreshPanel(session: Session, recalculate: () => Promise<void>): RefreshPanel {
  const version = byId("version");
  const button = byId<HTMLElement & { disabled: boolean }>("refresh");
  const status = byId("refresh-status");
  let running: Promise<void> | null = null;

  const showVersion = (): void => {
    version.textContent = activeVersion(session)?.text ?? "No data loaded";
  };
  const describeActive = (): string => {
    const active = activeVersion(session);
    return active === null ? "no data" : `release ${active.release} (${active.date})`;
  };

  const run = (quiet: boolean): Promise<void> => {
    if (running !== null) return running;
    button.disabled = true;
    status.classList.remove("error");
    const attempt = refreshFromHost({
      session,
      baseUrl: document.baseURI,
      recalculate,
      onProgress: (progress) => {
        status.dataset.stage = progress.stage;
        if (!quiet || progress.stage !== "checking") status.textContent = progress.message;
      },
    })
      .then((outcome) => {
        status.textContent = quiet && outcome.status === "up-to-date" ? "" : outcome.message;
      })
      .catch((error: unknown) => {
        status.dataset.stage = "failed";
        status.classList.add("error");
        const why = reason(error);
        status.textContent =
          error instanceof RefreshError && error.reason === "recalculation"
            ? why
            : quiet
              ? `Could not check for newer data; using ${describeActive()}. ${why}`
              : `Refresh failed; still using ${describeActive()}. ${why}`;
      })
      .finally(() => {
        button.disabled = false;
        running = null;
        showVersion();
      });
    running = attempt;
    return attempt;
  };
  button.addEventListener("click", () => void run(false));
  return { showVersion, run };
}
