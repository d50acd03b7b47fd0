//! The OpenAPI 3.1 document: what the routes' annotations describe, plus
//! what every operation shares (security, problem responses, headers) and the
//! shape generated clients need (tagged unions as named schemas with a
//! discriminator).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use utoipa::OpenApi as _;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{AnyOf, Discriminator, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

use crate::api::error::{Location, Problem};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Probity", description = "Responsible-AI audits: group fairness and PII exposure, over REST."),
    components(schemas(Problem, Location)),
    tags(
        (name = "datasets", description = "Uploaded data files and their profiles"),
        (name = "models", description = "TorchScript models with declared features"),
        (name = "jobs", description = "Long-running work on the durable queue"),
        (name = "audits", description = "Start fairness audits of a dataset's predictions"),
        (name = "reports", description = "Immutable audit reports"),
        (name = "inference", description = "Run a model over a dataset into a predictions dataset"),
        (name = "training", description = "Train models with libtorch, optionally with reweighing"),
        (name = "monitors", description = "Continuous fairness monitoring of deployed models: decisions, late labels, windows, alerts"),
        (name = "keys", description = "API keys (admin)"),
        (name = "ops", description = "Health, readiness, metrics and this description"),
    )
)]
struct ApiDoc;

/// The document's info, tags and shared schemas, before routes add their operations.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// Paths that need no API key.
const PUBLIC_PATHS: &[&str] = &[
    "/healthz",
    "/readyz",
    "/openapi.json",
    "/docs",
    "/v1/signing-key",
];

/// The OpenAPI 3.1 document of the API, as served at `/openapi.json`.
pub fn document() -> OpenApi {
    let (_, mut doc) = super::routes().split_for_parts();
    describe_common_responses(&mut doc);
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    if let Some(components) = doc.components.as_mut() {
        name_tagged_variants(&mut components.schemas);
        overlapping_unions_as_any_of(&mut components.schemas);
    }
    add_examples(&mut doc);
    doc
}

/// Every operation of the document with its path.
fn operations_mut(doc: &mut OpenApi) -> impl Iterator<Item = (&String, &mut Operation)> {
    doc.paths.paths.iter_mut().flat_map(|(path, item)| {
        [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        .map(move |operation| (path, operation))
    })
}

/// The calls `tests/it/examples.rs` made of every operation, by operation id.
const EXAMPLES: &str = include_str!("../../openapi/examples.json");

/// One recorded call: its request body and its answer, each with its media type.
#[derive(Deserialize)]
struct RecordedCall {
    request: Option<MediaExample>,
    status: String,
    response: Option<MediaExample>,
}

/// A value of a media type.
#[derive(Deserialize)]
struct MediaExample {
    media_type: String,
    value: Value,
}

/// Sets each operation's request and response `example` from its recorded call.
fn add_examples(doc: &mut OpenApi) {
    let calls: BTreeMap<String, RecordedCall> =
        serde_json::from_str(EXAMPLES).expect("openapi/examples.json reads as recorded calls");
    for (_, operation) in operations_mut(doc) {
        let Some(call) = operation.operation_id.as_ref().and_then(|id| calls.get(id)) else {
            continue;
        };
        if let (Some(example), Some(RefOr::T(body))) = (&call.request, &mut operation.request_body)
            && let Some(RefOr::T(content)) = body.content.get_mut(&example.media_type)
        {
            content.example = Some(example.value.clone());
        }
        if let (Some(example), Some(RefOr::T(response))) = (
            &call.response,
            operation.responses.responses.get_mut(&call.status),
        ) && let Some(RefOr::T(content)) = response.content.get_mut(&example.media_type)
        {
            content.example = Some(example.value.clone());
        }
    }
}

/// The property every member of a `oneOf` requires with one constant string
/// value each (serde's `tag`), and those values in member order.
fn union_tag(members: &[Value]) -> Option<(String, Vec<String>)> {
    let constant = |member: &Value, property: &str| -> Option<String> {
        let parts = std::iter::once(member).chain(
            member
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
        parts.into_iter().find_map(|part| {
            let schema = part.get("properties")?.get(property)?;
            match schema.get("enum").and_then(Value::as_array) {
                Some(values) if values.len() == 1 => values[0].as_str().map(str::to_string),
                _ => schema.get("const")?.as_str().map(str::to_string),
            }
        })
    };
    let first = members.first()?;
    let candidates: Vec<String> = std::iter::once(first)
        .chain(
            first
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .filter_map(|part| part.get("properties").and_then(Value::as_object))
        .flat_map(|properties| properties.keys().cloned())
        .collect();
    candidates.into_iter().find_map(|property| {
        let values: Option<Vec<String>> = members.iter().map(|m| constant(m, &property)).collect();
        let values = values?;
        let distinct: std::collections::BTreeSet<&String> = values.iter().collect();
        (distinct.len() == values.len()).then_some((property, values))
    })
}

/// `logistic_regression` → `LogisticRegression`.
fn pascal_case(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

/// Gives each inline member of a tagged union (a serde `tag` enum, which
/// utoipa writes as a `oneOf` of anonymous objects) its own schema, named
/// after the union and its tag value (`Architecture` → `ArchitectureMlp`),
/// and the union a `discriminator` on the tag with the mapping, so that
/// generated clients get named classes they can tell apart by the tag
/// instead of `ArchitectureType0` tried one after another.
fn name_tagged_variants(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in names {
        let Some(RefOr::T(Schema::OneOf(union))) = schemas.get(&name) else {
            continue;
        };
        if union.items.len() < 2 || union.items.iter().any(|m| matches!(m, RefOr::Ref(_))) {
            continue;
        }
        let members: Vec<Value> = union
            .items
            .iter()
            .map(|member| serde_json::to_value(member).expect("a schema serialises"))
            .collect();
        let Some((property, values)) = union_tag(&members) else {
            continue;
        };
        let Some(RefOr::T(Schema::OneOf(mut union))) = schemas.remove(&name) else {
            unreachable!("{name} was a oneOf a moment ago");
        };
        let mut mapping = BTreeMap::new();
        let mut references = Vec::new();
        for (member, value) in union.items.drain(..).zip(&values) {
            let variant = format!("{name}{}", pascal_case(value));
            assert!(
                !schemas.contains_key(&variant),
                "schema {variant} (a variant of {name}) already exists"
            );
            let reference = Ref::from_schema_name(&variant);
            mapping.insert(value.clone(), reference.ref_location.clone());
            references.push(RefOr::Ref(reference));
            schemas.insert(variant, member);
        }
        union.items = references;
        union.discriminator = Some(Discriminator::with_mapping(property, mapping));
        schemas.insert(name, RefOr::T(Schema::OneOf(union)));
    }
}

/// Turns each `oneOf` of named schemas without a discriminator (a serde
/// `untagged` enum, such as a job's `payload` or `result`, whose kind says
/// which it is) into an `anyOf`: a value may match more than one member
/// (`{"dataset_id": ...}` is a profile payload and could be read as part of
/// others), which `oneOf` forbids and `anyOf` allows.
fn overlapping_unions_as_any_of(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    for schema in schemas.values_mut() {
        let RefOr::T(Schema::OneOf(union)) = schema else {
            continue;
        };
        if union.discriminator.is_some()
            || union.items.len() < 2
            || !union.items.iter().all(|m| matches!(m, RefOr::Ref(_)))
        {
            continue;
        }
        let mut any_of = AnyOf::new();
        any_of.items = std::mem::take(&mut union.items);
        any_of.description = union.description.take();
        *schema = RefOr::T(Schema::AnyOf(any_of));
    }
}

/// Adds the bearer security scheme and the problem responses every operation
/// may send: 401/403/429 where a key is needed, 500 and 503 everywhere,
/// 422 with parameters or a body, 413/415 with a body, 400 with a multipart one.
fn describe_common_responses(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        RefOr::T(SecurityScheme::Http(
            Http::builder()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API key: `Authorization: Bearer prb_…`"))
                .build(),
        )),
    );
    let problem_content = || {
        ContentBuilder::new()
            .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
            .build()
    };
    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/problem+json", problem_content())
            .build()
    };
    let retry_after = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/problem+json", problem_content())
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .minimum(Some(0)),
                    ))
                    .description(Some("Seconds to wait before retrying"))
                    .build(),
            )
            .build()
    };
    components.responses.insert(
        "Unauthorized".into(),
        RefOr::T(problem("Missing, unknown or revoked API key")),
    );
    components.responses.insert(
        "Forbidden".into(),
        RefOr::T(problem("The API key's role does not allow this")),
    );
    components.responses.insert(
        "TooManyRequests".into(),
        RefOr::T(retry_after(
            "This API key's request rate (or its open event streams) is over the limit",
        )),
    );
    components.responses.insert(
        "Unavailable".into(),
        RefOr::T(retry_after(
            "The database is unreachable or the request ran past its time limit; retry later",
        )),
    );
    components.responses.insert(
        "PayloadTooLarge".into(),
        RefOr::T(problem(
            "The request body is over the size limit (JSON bodies and uploads have their own)",
        )),
    );
    components.responses.insert(
        "UnsupportedMediaType".into(),
        RefOr::T(problem(
            "The body's `Content-Type` is not one this operation takes",
        )),
    );
    components.responses.insert(
        "InvalidInput".into(),
        RefOr::T(problem(
            "A parameter or the body is malformed or out of range; `location` names it",
        )),
    );
    components.responses.insert(
        "MalformedUpload".into(),
        RefOr::T(problem(
            "A malformed multipart body (bad boundary, truncated part)",
        )),
    );
    components.responses.insert(
        "InternalError".into(),
        RefOr::T(problem("Unexpected server failure")),
    );
    for (path, operation) in operations_mut(doc) {
        let public = PUBLIC_PATHS.contains(&path.as_str());
        let responses = &mut operation.responses.responses;
        if !public {
            operation.security = Some(vec![SecurityRequirement::new(
                "bearer",
                Vec::<String>::new(),
            )]);
            responses
                .entry("401".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("Unauthorized")));
            responses
                .entry("403".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("Forbidden")));
            responses
                .entry("429".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("TooManyRequests")));
        }
        responses
            .entry("500".into())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name("InternalError")));
        responses
            .entry("503".into())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name("Unavailable")));
        let body_types: Vec<String> = operation
            .request_body
            .iter()
            .flat_map(|body| match body {
                RefOr::T(body) => body.content.keys().cloned().collect(),
                RefOr::Ref(_) => Vec::new(),
            })
            .collect();
        let has_parameters = operation
            .parameters
            .as_ref()
            .is_some_and(|parameters| !parameters.is_empty());
        if has_parameters || !body_types.is_empty() {
            responses
                .entry("422".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("InvalidInput")));
        }
        if !body_types.is_empty() {
            responses
                .entry("413".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("PayloadTooLarge")));
            responses
                .entry("415".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("UnsupportedMediaType")));
        }
        if body_types.iter().any(|t| t.starts_with("multipart/")) {
            responses
                .entry("400".into())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("MalformedUpload")));
        }
    }
}
