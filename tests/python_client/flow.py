"""The full Probity flow through a client generated from openapi/openapi.json.

Uses only the generated package (openapi-python-client): upload a CSV dataset,
find it in the dataset list, upload a TorchScript model with its metadata and
download it back, start an audit of the model on the dataset, poll the job
until it succeeds, fetch the report and check it.
Prints a short summary; exits non-zero with a message on any failure.

    python flow.py --client DIR --dataset data.csv --model model.pt \
        --metadata metadata.json --label-column label --sensitive sex \
        [--url URL] [--key KEY]

DIR is the generated package folder (imported by its name from its parent).
URL and KEY default to $PROBITY_URL and $PROBITY_API_KEY.
"""

import argparse
import hashlib
import importlib
import json
import os
import sys
import time
from pathlib import Path


class FlowError(Exception):
    pass


def check(condition, message):
    if not condition:
        raise FlowError(message)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", required=True, help="generated client package folder")
    parser.add_argument("--url", default=os.environ.get("PROBITY_URL"), help="server base URL ($PROBITY_URL)")
    parser.add_argument("--key", default=os.environ.get("PROBITY_API_KEY"), help="API key ($PROBITY_API_KEY)")
    parser.add_argument("--dataset", required=True, help="CSV file to upload")
    parser.add_argument("--model", required=True, help="TorchScript file to upload")
    parser.add_argument("--metadata", required=True, help="JSON file with the model's metadata")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--positive-label", default="1", help="JSON value of the positive label (default 1)")
    parser.add_argument("--sensitive", action="append", default=None, help="sensitive feature column (repeatable)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the audit job")
    args = parser.parse_args()
    if not args.url or not args.key:
        parser.error("--url/--key (or $PROBITY_URL/$PROBITY_API_KEY) are required")
    args.sensitive = args.sensitive or ["sex"]
    return args


def import_client(folder):
    folder = Path(folder).resolve()
    check((folder / "__init__.py").is_file(), f"{folder} is not a generated client package")
    sys.path.insert(0, str(folder.parent))
    name = folder.name

    def module(path):
        return importlib.import_module(f"{name}.{path}")

    return module


def expect(response, status, kind, what):
    """The parsed body of `response`, which must have `status` and parse as `kind`."""
    body = response.content.decode("utf-8", "replace")[:2000]
    check(response.status_code == status, f"{what}: expected HTTP {status}, got {int(response.status_code)}: {body}")
    check(isinstance(response.parsed, kind), f"{what}: response did not parse as {kind.__name__}: {body}")
    return response.parsed


def run(args):
    m = import_client(args.client)
    AuthenticatedClient = m("client").AuthenticatedClient
    File = m("types").File
    UNSET = m("types").UNSET
    upload_dataset = m("api.datasets.upload_dataset")
    list_datasets = m("api.datasets.list_datasets")
    download_model = m("api.models.download_model")
    upload_model = m("api.models.upload_model")
    start_audit = m("api.audits.start_audit")
    get_job = m("api.jobs.get_job")
    get_report = m("api.reports.get_report")
    DatasetUpload = m("models.dataset_upload").DatasetUpload
    Dataset = m("models.dataset").Dataset
    PageDataset = m("models.page_dataset").PageDataset
    ModelUpload = m("models.model_upload").ModelUpload
    ModelMetadata = m("models.model_metadata").ModelMetadata
    Model = m("models.model").Model
    AuditRequest = m("models.audit_request").AuditRequest
    AuditChecks = m("models.audit_checks").AuditChecks
    Job = m("models.job").Job
    JobStatus = m("models.job_status").JobStatus
    StoredReport = m("models.stored_report").StoredReport

    client = AuthenticatedClient(base_url=args.url, token=args.key, raise_on_unexpected_status=True)
    with client:
        dataset_path = Path(args.dataset)
        with dataset_path.open("rb") as payload:
            dataset = expect(
                upload_dataset.sync_detailed(
                    client=client,
                    body=DatasetUpload(
                        file=File(payload=payload, file_name=dataset_path.name, mime_type="text/csv"),
                        name="python-client-flow",
                    ),
                ),
                201, Dataset, "upload dataset",
            )
        check(dataset.name == "python-client-flow", f"dataset name is {dataset.name!r}")
        check(dataset.row_count > 0, f"dataset has {dataset.row_count} rows")
        columns = [column.name for column in dataset.columns]
        page = expect(list_datasets.sync_detailed(client=client, name="python-client"), 200, PageDataset, "list datasets")
        check([item.id for item in page.items] == [dataset.id], f"dataset list has {[item.id for item in page.items]}")
        check(isinstance(page.items[0], Dataset), f"a dataset list item is a {type(page.items[0]).__name__}")
        print(f"dataset {dataset.id}: {dataset.row_count} rows, columns {columns}, format {dataset.format_.value}")

        model_path = Path(args.model)
        metadata = ModelMetadata.from_dict(json.loads(Path(args.metadata).read_text()))
        with model_path.open("rb") as payload:
            model = expect(
                upload_model.sync_detailed(
                    client=client,
                    body=ModelUpload(
                        file=File(payload=payload, file_name=model_path.name, mime_type="application/octet-stream"),
                        metadata=metadata,
                    ),
                ),
                201, Model, "upload model",
            )
        check(list(model.features) == list(metadata.features), f"model features {model.features} != {metadata.features}")
        downloaded = expect(download_model.sync_detailed(id=model.id, client=client), 200, File, "download model")
        downloaded_sha = hashlib.sha256(downloaded.payload.read()).hexdigest()
        check(downloaded_sha == model.sha256, f"downloaded model sha256 {downloaded_sha} != {model.sha256}")
        check(downloaded_sha == hashlib.sha256(model_path.read_bytes()).hexdigest(), "stored model differs from the file")
        print(f"model {model.id}: {model.name} {model.version}, features {list(model.features)}, sha256 {model.sha256}")

        job = expect(
            start_audit.sync_detailed(
                client=client,
                body=AuditRequest(
                    dataset_id=dataset.id,
                    model_id=model.id,
                    label_column=args.label_column,
                    positive_label=json.loads(args.positive_label),
                    sensitive_features=args.sensitive,
                    checks=AuditChecks.from_dict({"fairness": {"bootstrap": {"resamples": 50, "seed": 1}}}),
                ),
            ),
            202, Job, "start audit",
        )
        check(job.kind == "audit", f"job kind is {job.kind!r}")
        print(f"audit job {job.id}: {job.status.value}")

        terminal = {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}
        deadline = time.monotonic() + args.timeout
        while job.status not in terminal:
            check(time.monotonic() < deadline, f"audit job {job.id} still {job.status.value} after {args.timeout} s")
            time.sleep(0.2)
            job = expect(get_job.sync_detailed(id=job.id, client=client), 200, Job, "get job")
        check(job.status == JobStatus.SUCCEEDED, f"audit job {job.id} ended {job.status.value}: {job.error}")
        check(job.result is not None and job.result is not UNSET, "succeeded audit job has no result")
        result = job.result.to_dict()
        check("report_id" in result, f"job result has no report_id: {result}")
        print(f"audit job {job.id}: succeeded after {job.attempts} attempt(s), result {result}")

        report = expect(get_report.sync_detailed(id=result["report_id"], client=client), 200, StoredReport, "get report")
        check(report.verdict in ("pass", "fail", "inconclusive"), f"report verdict is {report.verdict!r}")
        check(report.verdict == result.get("verdict"), f"report verdict {report.verdict!r} != job's {result.get('verdict')!r}")
        check(str(report.dataset_id) == str(dataset.id), f"report dataset {report.dataset_id} != {dataset.id}")
        check(str(report.model_id) == str(model.id), f"report model {report.model_id} != {model.id}")
        check(report.dataset_sha256 == dataset.sha256, "report dataset sha256 differs from the dataset's")
        check(len(report.sha256) == 64, f"report sha256 is {report.sha256!r}")
        # The body is a typed model: attribute access, no dictionaries.
        typed = report.body
        check(typed.inputs.model.sha256 == model.sha256, "typed body: inputs.model.sha256 differs")
        check(typed.fairness.rows == dataset.row_count, f"typed body: fairness.rows is {typed.fairness.rows!r}")
        check(typed.fairness.groupings[0].features == args.sensitive, "typed body: first grouping's features")
        check(typed.verdict == report.verdict, f"typed body: verdict {typed.verdict!r} != {report.verdict!r}")
        body = report.body.to_dict()
        inputs = body.get("inputs", {})
        model_sha = (inputs.get("model") or {}).get("sha256")
        check(model_sha == model.sha256, f"report inputs.model.sha256 {model_sha!r} != model sha256 {model.sha256!r}")
        check((inputs.get("dataset") or {}).get("sha256") == dataset.sha256, "report inputs.dataset.sha256 differs")
        fairness = body.get("fairness") or {}
        check(fairness.get("rows") == dataset.row_count, f"report rows {fairness.get('rows')} != {dataset.row_count}")
        groupings = fairness.get("groupings") or []
        features = [grouping.get("features") for grouping in groupings]
        check([args.sensitive] == features[:1], f"report groupings {features} do not start with {args.sensitive}")
        for grouping in groupings:
            check(grouping.get("groups"), f"grouping {grouping.get('features')} has no groups")
        groups = [group.get("group") for group in groupings[0]["groups"]]
        print(
            f"report {report.id}: verdict {report.verdict}, {fairness['rows']} rows, groupings {features}, "
            f"groups {groups}, demographic parity difference {report.demographic_parity_difference}, "
            f"model sha256 {model_sha}"
        )


def main():
    args = arguments()
    try:
        run(args)
    except FlowError as error:
        print(f"FLOW FAILED: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # an exception from the generated client or the transport
        print(f"FLOW FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        raise
    print("flow ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
