/**
 * The support page the add-in serves at `support.html` (the manifest's SupportUrl): how to get help and whom to
 * write to, and what to do when cells show #NAME? or #BUSY!, when a refresh fails, and offline. Rendered at build
 * time by html-webpack-plugin with the publisher and the support address the build was given (webpack.config.js), and
 * with the refresh limits the add-in applies, so the page says what the code does. Static text: no script runs on it.
 */
import { REFRESH_LIMITS, RERUN_WAIT_MS, describeDuration, describeSize } from "./refresh";
import { OFFICE_READY_TIMEOUT_MS } from "./office";
import { escapeHtml, staticPage } from "../functions/static-page";

export interface SupportPageParameters {
  /** The manifest's ProviderName. */
  publisher: string;
  /** Where analysts write for help (ADDIN_SUPPORT_EMAIL); null in a development build. */
  supportEmail: string | null;
  /** The manifest's Version. */
  version: string;
}

/** The complete page (html-webpack-plugin calls the default export with the template parameters). */
export default function renderSupportPage(parameters: SupportPageParameters): string {
  const publisher = escapeHtml(parameters.publisher);
  const contact =
    parameters.supportEmail === null
      ? "<p>This is a development build, which has no support address: production builds (<code>npm run build</code>) take it from <code>ADDIN_SUPPORT_EMAIL</code>.</p>"
      : `<p>Write to <a href="mailto:${escapeHtml(parameters.supportEmail)}">${escapeHtml(parameters.supportEmail)}</a>. Say what you did and what you saw: the formula, the error and its message (hover the cell's error flag), and the data version, which the QFIN Data pane shows on its second line and <code>=QFIN.VERSION()</code> returns in a cell.</p>`;
  return staticPage(
    "QFIN for Excel: support",
    `body { line-height: 1.45; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; } h3 { font-size: 15px; margin-bottom: 4px; }
li { margin: 3px 0; } .meta { color: #605e5c; }`,
    `<h1>QFIN for Excel: support</h1>
<p class="meta">QFIN for Excel ${escapeHtml(parameters.version)}, published by ${publisher}. Every QFIN function is described in the <a href="help.html">function reference</a>.</p>

<h2 id="contact">Getting help</h2>
${contact}
<p>If your organisation deployed QFIN for Excel for you (Microsoft 365 admin center, or a shared catalog), questions about access and installation go to your IT administrator first.</p>

<h2 id="name">Cells show #NAME?</h2>
<p>Excel does not know the QFIN functions in this workbook or this Excel: the add-in is not installed for you, did not load, or was off when the formula was typed.</p>
<ol>
<li>Open <b>Home › Add-ins › My Add-ins</b> and select <b>QFIN for Excel</b>. This loads the add-in and registers its functions again.</li>
<li>If the cells still show #NAME?, close Excel, clear the Office cache (Microsoft's article "Clear the Office cache" says how for Windows, Mac and the web), and open the workbook again.</li>
<li>A formula typed while the add-in was not loaded can keep #NAME? after it loads: select the cell, press F2, then Enter.</li>
<li>If QFIN for Excel is not among your add-ins, ask whoever deployed it, or get it again from where you got it.</li>
</ol>
<p>A workbook saved with QFIN formulas keeps the values it last showed, so it opens with numbers on a computer without the add-in; those cells show #NAME? only when Excel calculates them there.</p>

<h2 id="busy">Cells show #BUSY!</h2>
<p>Excel shows #BUSY! while it waits for a function. QFIN's figures are inside the add-in, so its functions answer at once once the add-in has started; #BUSY! that lasts means the add-in's page did not start.</p>
<ol>
<li>Open the <b>QFIN Data</b> pane (Home tab). If it says that Office's script (office.js) did not load or did not answer within ${describeDuration(OFFICE_READY_TIMEOUT_MS)}, a firewall, proxy or browser extension is blocking <code>appsforoffice.microsoft.com</code>: ask your IT administrator to allow it.</li>
<li>If the pane does not open either, Excel cannot reach the add-in's host: check the connection, then close and reopen the workbook.</li>
</ol>

<h2 id="errors">#N/A, #VALUE! and #DIV/0!</h2>
<ul>
<li><b>#N/A</b>: the item is not in the data, or not reported for that period. Hover the error flag: the message says what is there ("did you mean …", the periods it has).</li>
<li><b>#VALUE!</b>: an argument is not understood. The message says which one and the forms that work.</li>
<li><b>#DIV/0!</b>: a margin or growth against zero.</li>
<li><b>#REF!</b> from a QFIN formula: another add-in has a function of the same name.</li>
</ul>

<h2 id="updates">Newer data</h2>
<p>The add-in comes with the data of the release it was built with. When it starts, it asks its host whether newer data is published, checks that data (its fingerprint, then every total), and tells you in the QFIN Data pane what it would change: the periods it adds and any figure it restates. Nothing in your workbook changes until you choose <b>Apply</b> (or <b>Not now</b>). <b>Check for updates</b> asks again at any time.</p>
<ul>
<li>With Automatic calculation, Apply recalculates the QFIN cells of the workbook and what depends on them, nothing else.</li>
<li>With Manual calculation, Apply loads the data and marks the QFIN cells; they show it at your next calculation (F9). The pane says which release the cells were calculated with until then.</li>
<li>An Excel too old to recalculate single cells (before ExcelApi 1.9) can show new data only with a full calculation of every open workbook; the pane asks before it does one.</li>
<li><b>Apply newer data automatically</b> (in the pane, off until you turn it on) applies newer data as soon as it is checked when the add-in starts, except where that would need a full calculation.</li>
<li>After Apply the pane waits to see Excel re-run the QFIN cells. If Excel has not done so within ${describeDuration(RERUN_WAIT_MS)}, the pane says so: press Ctrl+Alt+F9 to recalculate everything.</li>
<li><code>=QFIN.VERSION()</code> in a cell shows the release and data version the workbook was calculated with.</li>
</ul>

<h2 id="refresh-failed">When a check or an update fails</h2>
<p>Nothing changes: the functions keep answering from the data in use, and the pane says "still using release …" and why.</p>
<ul>
<li><b>Could not reach the QFIN data server</b>, or it <b>did not send</b> the data within ${describeDuration(REFRESH_LIMITS.pointerTimeoutMs)} (the list of datasets) or ${describeDuration(REFRESH_LIMITS.datasetTimeoutMs)} (a dataset): check the connection and try again later.</li>
<li><b>HTTP 404</b>, <b>latest.json could not be used</b>, <b>larger than the ${describeSize(REFRESH_LIMITS.datasetMaxBytes)} the add-in accepts</b>: the host's publication is incomplete or wrong. Tell whoever hosts the add-in (or write to the address above).</li>
<li><b>does not match its published fingerprint</b> or <b>failed its checks</b>: the data was damaged or does not add up, so it was refused. The same: tell the host.</li>
<li><b>older than the release in use</b> or <b>not newer</b>: the host publishes data the add-in already has or older data; the add-in never goes back.</li>
</ul>

<h2 id="offline">Offline</h2>
<p>The figures are inside the add-in, so once Excel has loaded QFIN for Excel the functions answer without a network connection. Excel loads the add-in itself from its host, and checking for newer data needs the host too: offline, the pane says the check failed and the data in use stays. Saved workbooks keep their last values.</p>

<h2 id="privacy">What the add-in sends</h2>
<p>Nothing about you or your workbooks. It downloads its data from its own host (<code>data/latest.json</code> and the dataset it names) and keeps one setting, "Apply newer data automatically", in Office's storage for the add-in. Office's script (office.js) comes from Microsoft.</p>`,
  );
}
