/**
 * The data version line, the check for newer data and the offer to apply it (src/addin/refresh.ts does the work).
 * The check changes nothing: when the host has a newer release the pane says what it would change and waits for
 * Apply (or applies it by itself when the analyst turned "Apply newer data automatically" on, and only where that
 * needs no question). Where only a full calculation would show the new data, Apply asks first. Every step is shown;
 * on failure the pane says why and that the data in use stays.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { describeRestated } from "../addin/dataset-changes";
import { describePlan, FULL_CALCULATION_QUESTION, needsConsent, planRecalculation, type RecalculationPlan, type WorkbookCalculation } from "../addin/recalculation";
import {
  activeVersion,
  applyUpdate,
  AUTO_APPLY_SETTING,
  checkForUpdate,
  describeRelease,
  type AvailableUpdate,
  type DatasetVersion,
  type SettingStore,
} from "../addin/refresh";
import type { Session } from "../addin/session";
import { byId, el } from "./dom";
import { confirmPrompt, reason } from "./confirm";

export interface RefreshPanelOptions {
  session: Session;
  /** How the workbook catches up after Apply (Excel: office.ts; the preview: the workbench). */
  calculation: WorkbookCalculation;
  /** Where "Apply newer data automatically" is kept; null where there is no such store (outside Excel). */
  settings: SettingStore | null;
}

export interface RefreshPanel {
  /** Shows the version of the data in use. */
  showVersion(): void;
  /** The check the add-in makes when it starts: says nothing while there is nothing new. */
  checkAtStart(): Promise<void>;
}

/** Where the pane's status line ends up, for the eye and for tests (`data-stage`). */
type FinalStage = "up-to-date" | "available" | "applied" | "dismissed" | "failed";

const RESTATED_SHOWN = 20;

export function refreshPanel(options: RefreshPanelOptions): RefreshPanel {
  const { session, calculation, settings } = options;
  const version = byId("version");
  const cellsVersion = byId("cells-version");
  const button = byId<HTMLElement & { disabled: boolean }>("refresh");
  const status = byId("refresh-status");
  const offer = byId("update-offer");
  const offerMessage = byId("update-offer-message");
  const offerPlan = byId("update-offer-plan");
  const restated = byId<HTMLDetailsElement>("update-restated");
  const restatedList = byId("update-restated-list");
  const applyButton = byId<HTMLElement & { disabled: boolean }>("update-apply");
  const dismissButton = byId<HTMLElement & { disabled: boolean }>("update-dismiss");
  const autoRow = byId("auto-apply-row");
  const autoBox = byId<HTMLInputElement>("auto-apply");
  const autoNote = byId("auto-apply-note");
  const confirm = confirmPrompt("update-confirm");

  let offered: AvailableUpdate | null = null;
  let busy = false;
  let autoApply = false;

  const describeActive = (): string => {
    const active = activeVersion(session);
    return active === null ? "no data" : describeRelease({ id: active.release, date: active.date });
  };
  const showVersion = (): void => {
    version.textContent = activeVersion(session)?.text ?? "No data loaded";
  };
  /**
   * Disables a Fluent button, saying so in its attributes too: the button's own state lives in its shadow root, where
   * accessibility checkers (axe) cannot see it and would take its dimmed text for a contrast failure.
   */
  const disable = (target: HTMLElement & { disabled: boolean }, value: boolean): void => {
    target.disabled = value;
    if (value) target.setAttribute("aria-disabled", "true");
    else target.removeAttribute("aria-disabled");
  };
  const setBusy = (value: boolean): void => {
    busy = value;
    disable(button, value);
    disable(applyButton, value);
    disable(dismissButton, value);
  };
  const say = (text: string, stage: string, isError = false): void => {
    status.textContent = text;
    status.dataset.stage = stage;
    status.classList.toggle("error", isError);
  };
  const finish = (text: string, stage: FinalStage, isError = false): void => say(text, stage, isError);

  /** After a Manual-mode apply: the cells keep the data they were calculated with until they are calculated again. */
  const showCellsVersion = (before: DatasetVersion | null, key: string | null): void => {
    if (before === null || key === null) {
      cellsVersion.hidden = true;
      cellsVersion.textContent = "";
      return;
    }
    const time = new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    cellsVersion.textContent =
      `Cells calculated before ${time} keep ${describeRelease({ id: before.release, date: before.date })}${before.version ? `, data ${before.version},` : ""} until they are calculated again (${key}). ` +
      "=QFIN.VERSION() in a cell shows the data it was calculated with.";
    cellsVersion.hidden = false;
  };

  const hideOffer = (): void => {
    offer.hidden = true;
    confirm.dismiss();
  };

  const showOffer = async (update: AvailableUpdate, note?: string): Promise<void> => {
    offered = update;
    offerMessage.textContent = update.summary;
    let planText: string;
    try {
      planText = describePlan(await planRecalculation(calculation));
    } catch (error) {
      planText = `Could not read how Excel calculates (${reason(error)}); Apply reads it again first.`;
    }
    offerPlan.textContent = note ? `${note} ${planText}` : planText;
    restatedList.replaceChildren(...update.changes.restated.slice(0, RESTATED_SHOWN).map((change) => el("li", {}, describeRestated(change))));
    const more = update.changes.restated.length - RESTATED_SHOWN;
    if (more > 0) restatedList.append(el("li", {}, `… and ${more} more`));
    restated.hidden = update.changes.restated.length === 0;
    offer.hidden = false;
    finish("", "available");
  };

  /** Runs Apply with a plan already agreed to. */
  const run = async (update: AvailableUpdate, plan: RecalculationPlan): Promise<void> => {
    setBusy(true);
    const before = activeVersion(session);
    try {
      const outcome = await applyUpdate({ session, update, calculation, plan, onProgress: (progress) => say(progress.message, progress.stage) });
      offered = null;
      hideOffer();
      showCellsVersion(outcome.cellsStillShow, outcome.catchUpKey);
      finish(outcome.message, "applied");
    } catch (error) {
      const why = reason(error);
      const loaded = activeVersion(session);
      // Only a failed recalculation leaves the new data in use; every other failure changed nothing.
      const changed = loaded !== null && loaded.version !== before?.version;
      if (changed) {
        offered = null;
        hideOffer();
      }
      finish(changed ? why : `Not applied; still using ${describeActive()}. ${why}`, "failed", true);
    } finally {
      setBusy(false);
      showVersion();
    }
  };

  const apply = async (update: AvailableUpdate): Promise<void> => {
    let plan: RecalculationPlan;
    try {
      plan = await planRecalculation(calculation);
    } catch (error) {
      finish(`Not applied; still using ${describeActive()}. Could not read how Excel calculates: ${reason(error)}`, "failed", true);
      return;
    }
    if (!needsConsent(plan)) return run(update, plan);
    // While the question is open the offer's buttons wait for its answer.
    disable(applyButton, true);
    disable(dismissButton, true);
    confirm.ask(
      FULL_CALCULATION_QUESTION,
      () => void run(update, plan),
      () => {
        setBusy(false);
        finish(`Not applied; still using ${describeActive()}. The offer stays: Apply when a full calculation suits you.`, "available");
      },
    );
  };

  const check = async (atStart: boolean): Promise<void> => {
    if (busy) return;
    setBusy(true);
    hideOffer();
    let outcome: Awaited<ReturnType<typeof checkForUpdate>>;
    try {
      outcome = await checkForUpdate({ session, baseUrl: document.baseURI, onProgress: (progress) => (atStart ? (status.dataset.stage = progress.stage) : say(progress.message, progress.stage)) });
    } catch (error) {
      offered = null;
      finish(`${atStart ? "Could not check for newer data" : "The check failed"}; still using ${describeActive()}. ${reason(error)}`, "failed", true);
      setBusy(false);
      return;
    }
    setBusy(false);
    if (outcome.status === "up-to-date") {
      offered = null;
      finish(atStart ? "" : outcome.message, "up-to-date");
      return;
    }
    if (atStart && autoApply) {
      let plan: RecalculationPlan | null = null;
      try {
        plan = await planRecalculation(calculation);
      } catch {
        plan = null;
      }
      if (plan !== null && !needsConsent(plan)) return run(outcome.update, plan);
      return showOffer(outcome.update, "Not applied automatically:");
    }
    return showOffer(outcome.update);
  };

  const loadSetting = async (): Promise<void> => {
    if (settings === null) return;
    autoRow.hidden = false;
    try {
      autoApply = (await settings.read(AUTO_APPLY_SETTING)) === "on";
      autoNote.textContent = "";
    } catch (error) {
      autoApply = false;
      autoNote.textContent = `Could not read this setting (${reason(error)}), so newer data waits for Apply.`;
    }
    autoBox.checked = autoApply;
  };
  autoBox.addEventListener("change", () => {
    if (settings === null) return;
    const wanted = autoBox.checked;
    autoBox.disabled = true;
    settings
      .write(AUTO_APPLY_SETTING, wanted ? "on" : "off")
      .then(() => {
        autoApply = wanted;
        autoNote.textContent = wanted ? "From the next start, newer data is applied as soon as it is checked (asking first where only a full calculation would show it)." : "";
      })
      .catch((error: unknown) => {
        autoBox.checked = autoApply;
        autoNote.textContent = `Could not save this setting (${reason(error)}); it stays ${autoApply ? "on" : "off"}.`;
      })
      .finally(() => (autoBox.disabled = false));
  });

  button.addEventListener("click", () => void check(false));
  applyButton.addEventListener("click", () => {
    if (offered !== null && !busy) void apply(offered);
  });
  dismissButton.addEventListener("click", () => {
    if (busy) return;
    const update = offered;
    offered = null;
    hideOffer();
    finish(`Not applied; still using ${describeActive()}.${update ? ` ${describeRelease({ id: update.version.release, date: update.version.date }).replace(/^r/, "R")} is offered again at the next check.` : ""}`, "dismissed");
  });
  session.onChange((index: DatasetIndex | null) => {
    // Another swap (none is expected while an offer is open) makes the offer stale; applyUpdate would refuse it.
    if (offered !== null && index !== offered.index && index !== offered.from) hideOffer();
  });

  return {
    showVersion,
    checkAtStart: async () => {
      await loadSetting();
      await check(true);
    },
  };
}
