// The full Probity flow through a TypeScript client generated from
// openapi/openapi.json: types by openapi-typescript (generate.mjs writes
// schema.d.ts next to this file), requests by openapi-fetch.
//
// Upload a CSV dataset and find it in the dataset list, upload a TorchScript
// model with its metadata and download it back, audit the model on the
// dataset (fairness, PII and counterfactual checks), poll the job until it
// ends, find the report the job made, fetch it and read its typed fields.
// Prints those fields in one JSON line; exits non-zero with a message on a
// failure. Nothing here is cast or left untyped: tests/it/typescript_client.rs
// type-checks it with `tsc --strict` and refuses casts, the unchecked type
// and compiler-silencing comments.
//
//     PROBITY_URL=... PROBITY_API_KEY=... PROBITY_DATASET=data.csv \
//         PROBITY_MODEL=model.pt node out/flow.js
//
// The dataset has the columns x1, x2, sex (0/1), email and label (0/1); the
// model is a scorer of [x1, x2, sex] returning a logit.

import { createHash } from "node:crypto";
import { openAsBlob } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

class FlowError extends Error {}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new FlowError(message);
  }
}

function setting(name: string): string {
  const value = process.env[name];
  check(value !== undefined && value !== "", `$${name} is not set`);
  return value;
}

/** What a failed call answered, for the message. */
function shown(response: Response, error: unknown): string {
  return `HTTP ${response.status}: ${JSON.stringify(error)}`;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function terminal(status: Schemas["JobStatus"]): boolean {
  switch (status) {
    case "queued":
    case "running":
      return false;
    case "succeeded":
    case "failed":
    case "cancelled":
      return true;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function run(): Promise<void> {
  const baseUrl = setting("PROBITY_URL");
  const key = setting("PROBITY_API_KEY");
  const datasetPath = setting("PROBITY_DATASET");
  const modelPath = setting("PROBITY_MODEL");
  const timeoutMs = 120_000;

  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });
  // Reports come in JSON, HTML or Markdown; this client reads the JSON one.
  const jsonClient = createClient<paths, "application/json">({ baseUrl, headers: { Authorization: `Bearer ${key}` } });

  // A dataset: multipart with the file part and a name.
  const datasetUpload: Schemas["DatasetUpload"] = {
    file: await openAsBlob(datasetPath, { type: "text/csv" }),
    name: "typescript-client-flow",
  };
  const uploaded = await client.POST("/v1/datasets", {
    body: datasetUpload,
    bodySerializer(body) {
      const form = new FormData();
      form.append("file", body.file, basename(datasetPath));
      if (body.name !== undefined) {
        form.append("name", body.name);
      }
      return form;
    },
  });
  check(uploaded.response.status === 201, `upload dataset: ${shown(uploaded.response, uploaded.error)}`);
  const dataset: Schemas["Dataset"] | undefined = uploaded.data;
  check(dataset !== undefined, "upload dataset: no body");
  check(dataset.name === "typescript-client-flow", `dataset name is ${dataset.name}`);
  check(dataset.format === "csv", `dataset format is ${dataset.format}`);
  const columns = dataset.columns.map((column) => column.name);
  for (const column of ["x1", "x2", "sex", "email", "label"]) {
    check(columns.includes(column), `dataset columns ${columns.join(", ")} lack ${column}`);
  }

  const listed = await client.GET("/v1/datasets", { params: { query: { name: "typescript-client" } } });
  check(listed.data !== undefined, `list datasets: ${shown(listed.response, listed.error)}`);
  const listedIds = listed.data.items.map((item) => item.id);
  check(
    listedIds.length === 1 && listedIds[0] === dataset.id,
    `dataset list has ${listedIds.join(", ")}, not ${dataset.id}`,
  );

  // A model: multipart with the TorchScript file and its metadata in JSON.
  const metadata: Schemas["ModelMetadata"] = {
    name: "typescript-client-linear",
    version: "1",
    kind: "scorer",
    features: ["x1", "x2", "sex"],
    output: "logit",
    threshold: 0.5,
  };
  const modelUpload: Schemas["ModelUpload"] = { file: await openAsBlob(modelPath), metadata };
  const modelCreated = await client.POST("/v1/models", {
    body: modelUpload,
    bodySerializer(body) {
      const form = new FormData();
      form.append("file", body.file, basename(modelPath));
      form.append("metadata", JSON.stringify(body.metadata));
      if (body.vocabulary) {
        form.append("vocabulary", body.vocabulary, "vocabulary.txt");
      }
      return form;
    },
  });
  check(modelCreated.response.status === 201, `upload model: ${shown(modelCreated.response, modelCreated.error)}`);
  const model: Schemas["Model"] | undefined = modelCreated.data;
  check(model !== undefined, "upload model: no body");
  check(model.kind === "scorer", `model kind is ${model.kind}`);
  check(
    JSON.stringify(model.features) === JSON.stringify(metadata.features),
    `model features ${model.features.join(", ")}`,
  );
  const modelBytes = await readFile(modelPath);
  check(model.sha256 === sha256(modelBytes), "the model's sha256 is not the file's");

  const downloaded = await client.GET("/v1/models/{id}/download", {
    params: { path: { id: model.id } },
    parseAs: "arrayBuffer",
  });
  check(downloaded.data !== undefined, `download model: ${shown(downloaded.response, downloaded.error)}`);
  check(sha256(new Uint8Array(downloaded.data)) === model.sha256, "the downloaded model differs from the upload");

  // The audit.
  const request: Schemas["AuditRequest"] = {
    dataset_id: dataset.id,
    model_id: model.id,
    label_column: "label",
    positive_label: 1,
    sensitive_features: ["sex"],
    checks: {
      fairness: { bootstrap: { resamples: 50, seed: 1 } },
      pii: { columns: ["email"] },
      counterfactual: { max_rows: 200 },
    },
  };
  const started = await client.POST("/v1/audits", { body: request });
  check(started.response.status === 202, `start audit: ${shown(started.response, started.error)}`);
  check(started.data !== undefined, "start audit: no body");
  let job: Schemas["Job"] = started.data;
  check(job.kind === "audit", `job kind is ${job.kind}`);

  const deadline = Date.now() + timeoutMs;
  while (!terminal(job.status)) {
    check(Date.now() < deadline, `audit job ${job.id} still ${job.status} after ${timeoutMs} ms`);
    await sleep(200);
    const polled = await client.GET("/v1/jobs/{id}", { params: { path: { id: job.id } } });
    check(polled.data !== undefined, `get job: ${shown(polled.response, polled.error)}`);
    job = polled.data;
  }
  check(job.status === "succeeded", `audit job ${job.id} ended ${job.status}: ${job.error ?? ""}`);

  // The job's typed `result` is one of the kinds' results; an audit's names its report.
  const jobId = job.id;
  const result = job.result;
  check(result !== undefined && result !== null, "the succeeded job has no result");
  check("report_id" in result, `the audit job's result is not an audit result: ${JSON.stringify(result)}`);
  const auditResult: Schemas["AuditResult"] = result;
  check(auditResult.report_url === `/v1/reports/${auditResult.report_id}`, `report_url ${auditResult.report_url}`);
  const reports = await client.GET("/v1/reports", { params: { query: { dataset_id: dataset.id, verdict: auditResult.verdict } } });
  check(reports.data !== undefined, `list reports: ${shown(reports.response, reports.error)}`);
  const summary = reports.data.items.find((item) => item.id === auditResult.report_id);
  check(summary !== undefined, `report ${auditResult.report_id} of job ${jobId} is not listed`);
  check(summary.job_id === jobId, `report ${summary.id} names job ${summary.job_id ?? "none"}`);

  const fetched = await jsonClient.GET("/v1/reports/{id}", { params: { path: { id: summary.id } } });
  check(fetched.data !== undefined, `get report: ${shown(fetched.response, fetched.error)}`);
  const report: Schemas["StoredReport"] = fetched.data;
  check(report.id === summary.id && report.sha256 === summary.sha256, "the report differs from its summary");
  check(report.dataset_id === dataset.id, `report dataset ${report.dataset_id}`);
  check(report.model_id === model.id, `report model ${report.model_id ?? "none"}`);
  check(report.dataset_sha256 === dataset.sha256, "report dataset sha256 differs from the dataset's");

  // The body, field by field, typed.
  const body: Schemas["AuditReport"] = report.body;
  check(body.id === report.id, `body id ${body.id}`);
  check(body.verdict === report.verdict, `body verdict ${body.verdict} != report verdict ${report.verdict}`);
  check(body.inputs.dataset.sha256 === dataset.sha256, "body inputs.dataset.sha256 differs");
  const modelInput = body.inputs.model;
  check(modelInput !== undefined && modelInput !== null, "body inputs.model is missing");
  check(modelInput.sha256 === model.sha256, "body inputs.model.sha256 differs");

  const fairness = body.fairness;
  check(fairness !== undefined && fairness !== null, "body fairness is missing");
  check(fairness.rows === dataset.row_count, `fairness rows ${fairness.rows} != ${dataset.row_count}`);
  const grouping = fairness.groupings[0];
  check(grouping !== undefined, "fairness has no groupings");
  check(grouping.kind === "feature", `first grouping is a ${grouping.kind}`);
  const parity: Schemas["Figure"] = grouping.aggregates.demographic_parity_difference.between_groups;
  const parityValue = parity.value ?? null;
  check(parityValue !== null, `demographic parity difference is null: ${parity.reason ?? ""}`);
  check(parityValue >= 0 && parityValue <= 1, `demographic parity difference ${parityValue}`);

  const pii = body.pii;
  check(pii !== undefined && pii !== null, "body pii is missing");
  check(pii.rows_scanned === dataset.row_count, `pii rows_scanned ${pii.rows_scanned}`);

  const counterfactual = body.counterfactual;
  check(counterfactual !== undefined && counterfactual !== null, "body counterfactual is missing");
  check(counterfactual.method === "model", `counterfactual method ${counterfactual.method}`);
  const sex = counterfactual.features.find((feature) => feature.feature === "sex");
  check(sex !== undefined, "counterfactual did not test sex");

  const summaryOut = {
    dataset_id: dataset.id,
    model_id: model.id,
    job_id: jobId,
    report_id: report.id,
    report_sha256: report.sha256,
    verdict: report.verdict,
    demographic_parity_difference: report.demographic_parity_difference ?? null,
    body: {
      verdict: body.verdict,
      schema_version: body.schema_version,
      model_sha256: modelInput.sha256,
      model_threshold: modelInput.threshold,
      sensitive_features: body.inputs.sensitive_features,
      fairness: {
        rows: fairness.rows,
        verdict: fairness.verdict,
        bootstrap_resamples: fairness.options.bootstrap?.resamples ?? null,
        grouping_features: grouping.features,
        grouping_kind: grouping.kind,
        groups: grouping.groups.map((group) => ({
          group: group.group,
          rows: group.rows,
          selection_rate: group.rates.selection_rate,
        })),
        demographic_parity_difference: parityValue,
        demographic_parity_difference_ci: parity.ci ?? null,
        equalized_odds_difference: grouping.aggregates.equalized_odds_difference.worst_case.between_groups.value ?? null,
      },
      pii: {
        rows_scanned: pii.rows_scanned,
        findings: pii.totals.findings,
        columns_affected: pii.totals.columns_affected,
        verdict: pii.verdict,
      },
      counterfactual: {
        method: counterfactual.method,
        rows: counterfactual.rows,
        verdict: counterfactual.verdict,
        sex_pairs: sex.pairs,
        sex_flip_share: sex.flip_share,
        sex_comparisons: sex.comparisons.map((comparison) => ({
          from: comparison.from,
          to: comparison.to,
          flips: comparison.flips,
          outcome: comparison.outcome,
        })),
      },
    },
  };
  console.log(JSON.stringify(summaryOut));
}

try {
  await run();
  console.error("flow ok");
} catch (error) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`FLOW FAILED: ${message}`);
  if (!(error instanceof FlowError) && error instanceof Error && error.stack) {
    console.error(error.stack);
  }
  process.exitCode = 1;
}
