//! The API contract's versioning: the OpenAPI document carries the service
//! version, and no field a response carried in the last released document
//! (`openapi/released.json`) may be removed or retyped without a version
//! bump that docs/changelog.md explains. Narrowing a response field (fewer
//! alternatives, e.g. no longer null) is compatible; adding fields is too.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read_json(path: &str) -> Value {
    let text =
        std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The alternatives a schema allows, as comparable strings: `ref:Name`,
/// primitive types (with their format), `array<...>` of the items'
/// alternatives, `const:...` for constants, `enum:...` per value.
fn alternatives(schema: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        out.insert(format!(
            "ref:{}",
            target.rsplit('/').next().unwrap_or(target)
        ));
    }
    for key in ["oneOf", "anyOf"] {
        for member in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(alternatives(member));
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let parts: Vec<String> = all
            .iter()
            .map(|member| {
                alternatives(member)
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        out.insert(format!("allOf<{}>", parts.join("&")));
    }
    if let Some(value) = schema.get("const") {
        out.insert(format!("const:{value}"));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        out.extend(values.iter().map(|v| format!("enum:{v}")));
        return out;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for t in types {
        match t {
            "array" => {
                let items = schema.get("items").map(alternatives).unwrap_or_default();
                out.insert(format!(
                    "array<{}>",
                    items.into_iter().collect::<Vec<_>>().join("|")
                ));
            }
            "integer" | "number" => {
                out.insert("number".into());
            }
            other => {
                out.insert(other.to_string());
            }
        }
    }
    out
}

/// Every named schema a 2xx response reaches, transitively.
fn response_schemas(document: &Value) -> BTreeSet<String> {
    fn refs(node: &Value, found: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                    found.push(target.rsplit('/').next().unwrap_or(target).to_string());
                }
                map.values().for_each(|v| refs(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut pending = Vec::new();
    for item in document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            let responses = operation.get("responses").and_then(Value::as_object);
            for (status, response) in responses.into_iter().flatten() {
                if status.starts_with('2') {
                    refs(response, &mut pending);
                }
            }
        }
    }
    let schemas = &document["components"]["schemas"];
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            refs(&schemas[&name], &mut pending);
        }
    }
    seen
}

/// `Schema.field` → its alternatives, for every field of every schema responses reach.
fn response_fields(document: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let schemas = &document["components"]["schemas"];
    let mut fields = BTreeMap::new();
    for name in response_schemas(document) {
        let schema = &schemas[&name];
        let mut parts = vec![schema];
        parts.extend(
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
        for part in parts {
            for (field, property) in part
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                fields.insert(format!("{name}.{field}"), alternatives(property));
            }
        }
        if schema.get("properties").is_none() && schema.get("allOf").is_none() {
            fields.insert(name.clone(), alternatives(schema));
        }
    }
    fields
}

/// What a client of `released` would break on in `current`.
fn breaking_changes(released: &Value, current: &Value) -> Vec<String> {
    let before = response_fields(released);
    let after = response_fields(current);
    let mut changes = Vec::new();
    for (field, was) in &before {
        match after.get(field) {
            None => changes.push(format!("{field} was removed")),
            Some(now) if !now.is_subset(was) => changes.push(format!(
                "{field} was retyped: {was:?} -> {now:?} (new alternatives {:?})",
                now.difference(was).collect::<Vec<_>>()
            )),
            Some(_) => {}
        }
    }
    changes
}

/// (major, minor, patch) of a version string.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

/// Whether `current` is a version that may break `released` (semver: the
/// major version, or the minor one while the major is 0).
fn is_breaking_bump(released: &str, current: &str) -> bool {
    let (r, c) = (version(released), version(current));
    if r.0 == 0 && c.0 == 0 {
        c.1 > r.1
    } else {
        c.0 > r.0
    }
}

#[test]
fn the_document_carries_the_service_version() {
    let current = read_json("openapi/openapi.json");
    assert_eq!(current["info"]["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn no_response_field_is_removed_or_retyped_without_a_version_bump() {
    let released = read_json("openapi/released.json");
    let current = read_json("openapi/openapi.json");
    let changes = breaking_changes(&released, &current);
    let (was, now) = (
        released["info"]["version"].as_str().unwrap(),
        current["info"]["version"].as_str().unwrap(),
    );
    if changes.is_empty() {
        return;
    }
    assert!(
        is_breaking_bump(was, now),
        "responses changed incompatibly since {was} (openapi/released.json) without a version bump:\n{}",
        changes.join("\n")
    );
    let changelog = std::fs::read_to_string(format!("{ROOT}/docs/changelog.md")).unwrap();
    assert!(
        changelog.contains(&format!("## {now}")),
        "docs/changelog.md has no `## {now}` section listing these breaking changes:\n{}",
        changes.join("\n")
    );
}

/// The check itself: a removed field, a retyped field and a widened one are
/// caught; an added field and a narrowed one are not.
#[test]
fn the_compatibility_check_catches_what_breaks_clients() {
    let released = read_json("openapi/released.json");
    assert!(breaking_changes(&released, &released).is_empty());
    let fields = response_fields(&released);
    assert!(
        fields.contains_key("Job.status"),
        "{:?}",
        fields.keys().take(5).collect::<Vec<_>>()
    );
    assert!(fields.contains_key("AuditReport.verdict"));

    let mut changed = released.clone();
    let job = &mut changed["components"]["schemas"]["Job"]["properties"];
    job.as_object_mut().unwrap().remove("progress");
    job["attempts"] = serde_json::json!({"type": "string"});
    job["error"] = serde_json::json!({"type": ["string", "null", "integer"]});
    job["new_field"] = serde_json::json!({"type": "string"});
    let found = breaking_changes(&released, &changed);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found
            .iter()
            .any(|c| c.starts_with("Job.progress was removed"))
    );
    assert!(
        found
            .iter()
            .any(|c| c.starts_with("Job.attempts was retyped"))
    );
    assert!(found.iter().any(|c| c.starts_with("Job.error was retyped")));

    let mut narrowed = released.clone();
    narrowed["components"]["schemas"]["Job"]["properties"]["error"] =
        serde_json::json!({"type": "string"});
    assert!(breaking_changes(&released, &narrowed).is_empty());

    assert!(is_breaking_bump("0.1.0", "0.2.0"));
    assert!(!is_breaking_bump("0.1.0", "0.1.1"));
    assert!(is_breaking_bump("1.4.0", "2.0.0"));
    assert!(!is_breaking_bump("1.4.0", "1.5.0"));
}
