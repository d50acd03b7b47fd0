//! Reading multipart uploads: the file part is streamed to a blob staging
//! file (hashed on the way), small text parts are collected, anything else
//! is rejected by name. Also the OpenAPI schema of a raw file body.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::StatusCode;
use utoipa::ToSchema;

use crate::api::error::ApiError;
use crate::store::blobs::{BlobStore, StagedBlob};

/// A parsed upload: the staged file and the text parts.
pub struct Upload {
    /// The streamed file, deleted on drop unless committed.
    pub file: StagedBlob,
    /// File name the client sent, if any.
    pub filename: Option<String>,
    /// Text parts by name.
    pub texts: HashMap<String, String>,
}

// The OpenAPI schema of a file body, `type: string, format: binary`, for
// `body = inline(FileBytes)`: `body = Vec<u8>` describes a JSON array of integers,
// which generated clients then try to parse the file as.
/// The file's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct FileBytes(Vec<u8>);

/// Size limit of a text part (metadata, names).
pub const MAX_TEXT_PART: usize = 64 * 1024;

fn multipart_error(error: MultipartError, limit: u64) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(format!("the upload exceeds the limit of {limit} bytes"))
    } else {
        ApiError::BadRequest(format!("malformed multipart body: {}", error.body_text()))
    }
}

/// Reads a multipart body with one `file` part and the named text parts,
/// each with its size limit in bytes.
pub async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
    blobs: &BlobStore,
    limit: u64,
    text_parts: &[(&str, usize)],
) -> Result<Upload, ApiError> {
    let mut multipart = multipart.map_err(|rejection| match rejection.status() {
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::BAD_REQUEST => {
            ApiError::UnsupportedMediaType(format!(
                "expected a multipart/form-data body: {}",
                rejection.body_text()
            ))
        }
        _ => ApiError::BadRequest(rejection.body_text()),
    })?;
    let mut file = None;
    let mut filename = None;
    let mut texts = HashMap::new();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, limit))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            if file.is_some() {
                return Err(ApiError::invalid_field(
                    "file",
                    "the `file` part appears more than once",
                ));
            }
            filename = field.file_name().map(str::to_string);
            let mut writer = blobs.writer().await?;
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, limit))? {
                if writer.size() + chunk.len() as u64 > limit {
                    return Err(ApiError::PayloadTooLarge(format!(
                        "the upload exceeds the limit of {limit} bytes"
                    )));
                }
                writer.write(&chunk).await.map_err(anyhow::Error::from)?;
            }
            file = Some(writer.finish().await.map_err(anyhow::Error::from)?);
        } else if let Some(&(_, max_bytes)) = text_parts.iter().find(|(part, _)| *part == name) {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, limit))? {
                if bytes.len() + chunk.len() > max_bytes {
                    return Err(ApiError::invalid_field(
                        name,
                        format!("part is larger than {max_bytes} bytes"),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| ApiError::invalid_field(name.clone(), "part is not valid UTF-8"))?;
            texts.insert(name, text);
        } else {
            let expected: Vec<String> = std::iter::once("file")
                .chain(text_parts.iter().map(|(part, _)| *part))
                .map(|p| format!("`{p}`"))
                .collect();
            return Err(ApiError::invalid_field(
                name.clone(),
                format!(
                    "unknown multipart part `{name}`; expected {}",
                    expected.join(", ")
                ),
            ));
        }
    }
    let file = file.ok_or_else(|| ApiError::invalid_field("file", "the `file` part is missing"))?;
    Ok(Upload {
        file,
        filename,
        texts,
    })
}
