// Drives the Probity dashboard in headless Chromium: sign in, upload a CSV,
// start an audit from the form, follow it live, open the report, filter the
// report list, read a fairness monitor's trends, and keep full-page screenshots.
//
// Environment:
//   BASE_URL        server root, e.g. http://127.0.0.1:8080
//   API_KEY         an admin or auditor key (prb_…)
//   DATASET_CSV     path of a CSV with columns id,sex,race,label,prediction
//   MONITOR_ID      a monitor with decisions (seeded through the API)
//   MONITOR_NAME    its name
//   MONITOR_WINDOWS how many windows it has
//   SCREENSHOT_DIR  where the PNGs go (created if missing)
//   CHROMIUM        browser binary (default /usr/bin/chromium)
//
// Exits 0 on success; on any failure prints what failed and exits 1 (a
// screenshot of the page at that moment goes to SCREENSHOT_DIR/failure.png).

import { mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { chromium } from "playwright-core";

const need = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`dashboard.mjs: set ${name}`);
    process.exit(2);
  }
  return value;
};

const baseUrl = need("BASE_URL").replace(/\/$/, "");
const apiKey = need("API_KEY");
const datasetCsv = need("DATASET_CSV");
const monitorId = need("MONITOR_ID");
const monitorName = need("MONITOR_NAME");
const monitorWindows = Number.parseInt(need("MONITOR_WINDOWS"), 10);
const screenshotDir = need("SCREENSHOT_DIR");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const datasetName = basename(datasetCsv);
mkdirSync(screenshotDir, { recursive: true });

const TIMEOUT = 60_000;
const problems = []; // console errors and uncaught page errors
const eventRequests = []; // requests to job event streams
let step = "start";

const log = (message) => console.log(`[dashboard] ${message}`);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // Root in a container: Chromium's own sandbox needs user namespaces we may not have.
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT);

page.on("console", (message) => {
  if (message.type() !== "error") return;
  const text = message.text();
  const url = message.location()?.url || "";
  problems.push(`console error: ${text}${url ? ` (${url})` : ""}`);
});
page.on("pageerror", (error) => problems.push(`uncaught page error: ${error.message}`));
page.on("request", (request) => {
  if (/\/v1\/jobs\/[0-9a-f-]+\/events$/.test(request.url())) eventRequests.push(request);
});

async function shot(name) {
  const path = join(screenshotDir, name);
  await page.screenshot({ path, fullPage: true });
  log(`screenshot ${path}`);
}

try {
  step = "open the page";
  const response = await page.goto(`${baseUrl}/`, { waitUntil: "domcontentloaded" });
  check(response && response.status() === 200, `GET / answered ${response && response.status()}`);
  const headers = response.headers();
  check((headers["content-type"] || "").startsWith("text/html"), `GET / content type is ${headers["content-type"]}`);
  const csp = headers["content-security-policy"] || "";
  check(csp.includes("default-src 'self'"), `GET / has no strict Content-Security-Policy (got "${csp}")`);

  step = "sign in with a wrong key";
  await page.getByLabel("API key").fill("prb_0000000000000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("This key was not accepted").waitFor();
  // The 401 of that probe is logged by Chromium as a failed resource load; it is the point of this step.
  const rejected = problems.findIndex((p) => /status of 401/.test(p));
  if (rejected >= 0) problems.splice(rejected, 1);

  step = "sign in";
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  const nav = page.getByRole("navigation", { name: "Sections" });
  await nav.waitFor();
  await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();

  step = "upload the dataset";
  await nav.getByRole("link", { name: "Datasets" }).click();
  await page.getByRole("heading", { name: "Datasets", level: 1 }).waitFor();
  await page.getByLabel("Dataset file").setInputFiles(datasetCsv);
  await page.getByRole("button", { name: "Upload" }).click();
  await page.getByText(`Uploaded ${datasetName}`).waitFor();
  const datasetRow = page.getByRole("table", { name: "Datasets" }).getByRole("row").filter({ hasText: datasetName });
  await datasetRow.first().waitFor();
  log("uploaded " + datasetName);

  step = "fill the audit form";
  await datasetRow.first().getByRole("link", { name: `Audit ${datasetName}` }).click();
  await page.getByRole("heading", { name: "New audit" }).waitFor();
  const datasetSelect = page.getByLabel("Dataset", { exact: true });
  await page.waitForFunction(() => document.querySelector("#audit-dataset")?.value && !document.querySelector("#audit-label")?.disabled);
  check((await datasetSelect.inputValue()) !== "", "the uploaded dataset is not preselected in the audit form");
  await page.getByLabel("Label column", { exact: true }).selectOption("label");
  await page.getByLabel("Positive label").fill("1");
  await page.getByRole("radio", { name: "A prediction column" }).check();
  await page.getByLabel("Prediction column", { exact: true }).selectOption("prediction");
  const sensitive = page.getByRole("group", { name: "Sensitive features" });
  await sensitive.getByRole("checkbox", { name: "sex" }).check();
  await sensitive.getByRole("checkbox", { name: "race" }).check();
  await page.getByRole("checkbox", { name: /PII check/ }).check();

  step = "submit an incomplete form";
  await sensitive.getByRole("checkbox", { name: "race" }).uncheck();
  await sensitive.getByRole("checkbox", { name: "sex" }).uncheck();
  await page.getByRole("button", { name: "Start audit" }).click();
  await page.getByText("Choose at least one sensitive feature.").waitFor();
  await sensitive.getByRole("checkbox", { name: "sex" }).check();
  await sensitive.getByRole("checkbox", { name: "race" }).check();

  step = "start the audit";
  const auditResponse = page.waitForResponse((r) => r.url().endsWith("/v1/audits") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Start audit" }).click();
  const started = await auditResponse;
  check(started.status() === 202, `POST /v1/audits answered ${started.status()}: ${await started.text()}`);
  const job = await started.json();
  const sentBody = started.request().postDataJSON();
  check(sentBody.checks?.pii && typeof sentBody.checks.pii === "object", `the audit request lacks checks.pii: ${JSON.stringify(sentBody)}`);
  check(sentBody.positive_label === 1, `positive_label should be the integer 1, sent ${JSON.stringify(sentBody.positive_label)}`);
  log(`audit job ${job.id} queued`);

  step = "follow the audit live";
  const panel = page.getByRole("region", { name: "Audit job" });
  await panel.waitFor();
  await panel.getByRole("progressbar").first().waitFor();
  const statuses = new Set();
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const text = (await panel.textContent()) || "";
    for (const status of ["queued", "running", "succeeded", "failed", "cancelled"]) if (text.toLowerCase().includes(status)) statuses.add(status);
    if (/succeeded|failed|cancelled/i.test(text)) break;
    check(Date.now() < deadline, `the audit job did not finish within ${TIMEOUT / 1000} s; the panel shows: ${text}`);
    await page.waitForTimeout(100);
  }
  const panelText = (await panel.textContent()) || "";
  check(/succeeded/i.test(panelText), `the audit job did not succeed: ${panelText}`);
  log(`job states seen on the page: ${[...statuses].join(" → ")}`);
  const streams = eventRequests.filter((r) => r.url().includes(job.id));
  check(streams.length > 0, "the page did not open the job's event stream (GET /v1/jobs/{id}/events)");
  const auth = await streams[0].headerValue("authorization");
  check(auth === `Bearer ${apiKey}`, "the event stream request did not carry the API key");
  await shot("audit.png");

  step = "the jobs list";
  await nav.getByRole("link", { name: "Jobs" }).click();
  const jobRow = page.getByRole("table", { name: "Jobs" }).locator(`tr[data-id="${job.id}"]`);
  await jobRow.waitFor();
  await jobRow.getByText("succeeded").waitFor();
  await shot("dashboard.png");

  step = "open the report";
  await page.goBack();
  await page.getByRole("heading", { name: "New audit" }).waitFor();
  // The form view keeps the finished job; its link opens the report.
  await panel.getByRole("link", { name: "Open report" }).click();
  await page.getByRole("heading", { name: `Audit of ${datasetName}` }).waitFor();
  const summary = page.locator("#report-summary");
  const verdict = (await summary.locator(".verdict-block .badge").textContent()).trim().toLowerCase();
  check(["pass", "fail", "inconclusive"].includes(verdict), `the report shows no verdict (got "${verdict}")`);
  await summary.getByText("Demographic parity difference").waitFor();
  await summary.getByText("sex, race").waitFor();

  // The rendered HTML report (GET /v1/reports/{id}.html) in its sandboxed frame, charts included.
  await page.locator("#report-body iframe").waitFor();
  const frame = page.frameLocator('iframe[title="Audit report"]');
  await frame.getByText("female").first().waitFor();
  await frame.getByText(new RegExp(verdict, "i")).first().waitFor();
  await frame.locator("svg").first().waitFor();
  const sandbox = await page.locator("#report-body iframe").getAttribute("sandbox");
  check(sandbox !== null && !sandbox.includes("allow-scripts"), `the report frame must be sandboxed without scripts (sandbox="${sandbox}")`);
  log("report shown as rendered HTML in a sandboxed frame");
  await page.waitForTimeout(300); // let the frame settle at its content height
  await shot("report.png");

  {
    step = "the JSON summary view";
    await page.getByRole("button", { name: "Summary" }).click();
    const groups = page.getByRole("table", { name: "Groups by sex", exact: true });
    await groups.getByRole("rowheader", { name: "female", exact: true }).waitFor();
    await page.getByRole("table", { name: "Groups by sex × race" }).waitFor();
    await shot("report-summary.png");
    await page.getByRole("button", { name: "Report" }).click();
  }

  step = "download the report as JSON and Markdown";
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
  check(json.suggestedFilename().endsWith(".json"), `unexpected download name ${json.suggestedFilename()}`);
  const saved = JSON.parse(readFileSync(await json.path(), "utf8"));
  check(saved.verdict === verdict && saved.body?.fairness, "the downloaded JSON is not the report");
  const [markdown] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download Markdown" }).click()]);
  check(markdown.suggestedFilename().endsWith(".md"), `unexpected download name ${markdown.suggestedFilename()}`);
  const text = readFileSync(await markdown.path(), "utf8");
  check(text.startsWith("#") && text.includes("female"), `the Markdown download does not look like the report: ${text.slice(0, 200)}`);

  step = "filter the reports list";
  await page.getByRole("link", { name: "← Reports" }).click();
  const reports = page.getByRole("table", { name: "Reports" });
  await reports.getByRole("cell", { name: verdict, exact: true }).first().waitFor();
  await reports.getByRole("rowheader", { name: new RegExp(datasetName) }).first().waitFor();
  await page.getByLabel("Verdict").selectOption(verdict);
  await reports.getByRole("rowheader", { name: new RegExp(datasetName) }).first().waitFor();
  const other = verdict === "pass" ? "fail" : "pass";
  await page.getByLabel("Verdict").selectOption(other);
  await reports.getByText("No reports match").waitFor();
  await page.getByLabel("Verdict").selectOption("");
  await reports.getByRole("rowheader", { name: new RegExp(datasetName) }).first().waitFor();
  await shot("reports.png");

  step = "a PII-only audit from the form";
  await page.getByRole("link", { name: "New audit" }).click();
  await page.getByRole("heading", { name: "New audit" }).waitFor();
  await page.getByLabel("Dataset", { exact: true }).selectOption({ index: 1 }); // the one uploaded dataset
  await page.getByRole("checkbox", { name: /Group fairness/ }).uncheck();
  check(await page.getByLabel("Label column", { exact: true }).isHidden(), "the fairness inputs stay visible with fairness off");
  await page.getByRole("checkbox", { name: /PII check/ }).check();
  const piiResponse = page.waitForResponse((r) => r.url().endsWith("/v1/audits") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Start audit" }).click();
  const piiStarted = await piiResponse;
  check(piiStarted.status() === 202, `the PII-only audit answered ${piiStarted.status()}: ${await piiStarted.text()}`);
  const piiBody = piiStarted.request().postDataJSON();
  check(piiBody.checks?.fairness === null && piiBody.label_column === undefined, `unexpected PII-only request ${JSON.stringify(piiBody)}`);
  await panel.getByText(/succeeded/i).waitFor();
  await panel.getByRole("link", { name: "Open report" }).click();
  await page.getByRole("heading", { name: `Audit of ${datasetName}` }).waitFor();
  await page.locator("#report-summary").getByText("PII only (fairness off)").waitFor();
  await page.frameLocator('iframe[title="Audit report"]').getByText("A PII-only audit").first().waitFor();
  await shot("report-pii-only.png");

  step = "the monitors list";
  await nav.getByRole("link", { name: "Monitors" }).click();
  await page.getByRole("heading", { name: "Monitors", level: 1 }).waitFor();
  const monitorRow = page.getByRole("table", { name: "Monitors" }).locator(`tr[data-id="${monitorId}"]`);
  await monitorRow.getByRole("rowheader", { name: new RegExp(monitorName) }).waitFor();
  await monitorRow.getByText("sex", { exact: true }).waitFor();
  // The alert count arrives from GET /v1/monitors/{id}/alerts: a number, whatever it is.
  await page.waitForFunction((id) => /^\d+$/.test(document.querySelector(`#monitors-table tr[data-id="${id}"] [data-alerts]`)?.textContent.trim() || ""), monitorId);
  const alertCount = Number((await monitorRow.locator("[data-alerts]").textContent()).trim());
  await shot("monitors.png");

  step = "open the monitor";
  await monitorRow.getByRole("link", { name: `Open monitor ${monitorName}` }).click();
  await page.getByRole("heading", { name: monitorName, level: 1 }).waitFor();
  check(page.url().endsWith(`#/monitors/${monitorId}`), `the monitor's address is ${page.url()}`);
  const trend = page.getByRole("img", { name: "Demographic parity difference of sex by window" });
  await trend.waitFor();
  await page.getByRole("img", { name: "Equalized odds difference of sex by window" }).waitFor();
  await page.getByRole("img", { name: "Label coverage of decisions by window" }).waitFor();
  const drawn = await trend.evaluate((chart) => ({
    tag: chart.tagName.toLowerCase(),
    points: chart.querySelectorAll("circle.point").length,
    line: chart.querySelector("path.line")?.getAttribute("d") || "",
    bound: chart.querySelectorAll("line.bound").length,
    band: chart.querySelectorAll("polygon.band, path.whisker").length,
  }));
  check(drawn.tag === "svg", `the trend chart is a <${drawn.tag}>, not an inline SVG`);
  check(drawn.points === monitorWindows, `the trend chart has ${drawn.points} points for ${monitorWindows} windows`);
  check(drawn.line.startsWith("M") && !drawn.line.includes("NaN"), `the trend line is not drawn: d="${drawn.line}"`);
  check(drawn.bound === 1, "the trend chart lacks the policy bound");
  check(drawn.band > 0, "the trend chart lacks the bootstrap intervals");
  const windowRows = page.getByRole("table", { name: "Windows" }).locator("tbody tr[data-window]");
  check((await windowRows.count()) === monitorWindows, `the windows table has ${await windowRows.count()} rows, not ${monitorWindows}`);
  await windowRows.first().getByText("75.0 %").waitFor(); // the newest window (first) has no late labels yet
  await windowRows.last().getByText("100.0 %").waitFor();
  for (const verdict of await windowRows.locator(".badge").allTextContents()) {
    check(["pass", "fail", "inconclusive"].includes(verdict.trim().toLowerCase()), `a window shows no verdict (got "${verdict}")`);
  }
  await page.getByRole("heading", { name: `Alerts (${alertCount})` }).waitFor();
  if (alertCount > 0) {
    const alertRows = page.getByRole("table", { name: "Alerts" }).locator("tbody tr");
    check((await alertRows.count()) === alertCount, `the alerts table has ${await alertRows.count()} rows, the list said ${alertCount}`);
    await alertRows.first().getByRole("rowheader", { name: "sex" }).waitFor();
  }
  log(`monitor ${monitorId}: ${monitorWindows} windows, ${alertCount} alerts`);
  await shot("monitor.png");

  step = "sign out";
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("API key").waitFor();

  check(problems.length === 0, `the browser reported errors:\n  ${problems.join("\n  ")}`);
  log(`passed; verdict ${verdict}; screenshots in ${screenshotDir}`);
  await browser.close();
} catch (error) {
  console.error(`[dashboard] FAILED at step "${step}": ${error.message}`);
  if (problems.length) console.error(`[dashboard] browser errors:\n  ${problems.join("\n  ")}`);
  try {
    await page.screenshot({ path: join(screenshotDir, "failure.png"), fullPage: true });
    console.error(`[dashboard] page at failure: ${join(screenshotDir, "failure.png")}`);
  } catch {
    // the page may be gone
  }
  await browser.close();
  process.exit(1);
}
