//! Datasets by reference: Parquet objects already in S3-compatible storage,
//! registered with each object's size and ETag instead of being uploaded.
//! Only locations under the configured prefixes may be referenced
//! (`PROBITY_REFERENCE_URLS`); a job refuses objects that changed since.

use object_store::ObjectMeta;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use probity_audit::dataset::DatasetLocation;

use super::bucket::{Bucket, BucketSettings, S3Url};

/// Most objects one dataset by reference may span.
pub const MAX_OBJECTS: usize = 10_000;

/// The Parquet objects a dataset by reference reads, as they were when it
/// was registered. The dataset's `sha256` is the sha256 of this document's
/// JSON as Probity writes it (fields in this order, no whitespace), so a
/// report citing that hash cites these exact objects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DatasetSource {
    /// The `s3://bucket/key` or `s3://bucket/prefix/` given at registration.
    pub url: String,
    /// Each object read, in key order.
    pub objects: Vec<SourceObject>,
}

/// One object of a dataset by reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SourceObject {
    /// `s3://bucket/key` of the object.
    pub url: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Its ETag when registered (changes whenever the object is rewritten).
    pub etag: String,
}

impl DatasetSource {
    /// The content address reports cite: sha256 (hex) of the canonical JSON.
    pub fn sha256(&self) -> String {
        let json = serde_json::to_vec(self).expect("a dataset source serialises");
        hex::encode(Sha256::digest(json))
    }

    /// Total size of the objects.
    pub fn size_bytes(&self) -> u64 {
        self.objects.iter().map(|object| object.size_bytes).sum()
    }
}

/// Why a reference cannot be registered.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// The URL is malformed.
    #[error("`{url}` is not an S3 location: {reason}")]
    Invalid {
        /// As given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The URL is outside every allowed prefix (or none is configured).
    #[error("`{0}` is outside the locations datasets may reference (PROBITY_REFERENCE_URLS)")]
    NotAllowed(String),
    /// Nothing (or nothing that ends in `.parquet`) is there.
    #[error("no Parquet object at `{0}` (one object, or a prefix of objects ending in .parquet)")]
    Empty(String),
    /// More objects than one dataset may span.
    #[error("`{url}` holds {count} Parquet objects; a dataset may span at most {MAX_OBJECTS}")]
    TooManyObjects {
        /// As given.
        url: String,
        /// How many were found.
        count: usize,
    },
    /// An object has no ETag, so a later change could not be detected.
    #[error("the object `{0}` has no ETag, so changes to it could not be detected")]
    NoEtag(String),
    /// The storage could not be reached or refused the request.
    #[error("reading `{url}` from object storage failed: {source:#}")]
    Storage {
        /// As given.
        url: String,
        /// The storage's error.
        source: anyhow::Error,
    },
}

/// Which bucket locations datasets may reference, and how to reach them
/// (the same `AWS_*` settings as the blob bucket).
#[derive(Debug, Clone, Default)]
pub struct ReferenceAccess {
    allowed: Vec<S3Url>,
    options: Vec<(String, String)>,
}

impl ReferenceAccess {
    /// Access to the locations under `allowed` (`s3://bucket/prefix`), reached
    /// with `object_store` `options`. An empty list turns references off.
    pub fn new(allowed: &[String], options: Vec<(String, String)>) -> anyhow::Result<Self> {
        let allowed = allowed
            .iter()
            .map(|url| {
                S3Url::parse(url).map_err(|e| anyhow::anyhow!("reference location `{url}` {e}"))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self { allowed, options })
    }

    /// Access with the `AWS_*` settings of the environment.
    pub fn from_env(allowed: &[String]) -> anyhow::Result<Self> {
        Self::new(allowed, BucketSettings::from_env("s3://unused").options)
    }

    fn permits(&self, url: &S3Url) -> bool {
        self.allowed.iter().any(|prefix| {
            prefix.bucket == url.bucket
                && (prefix.key.is_empty()
                    || url.key == prefix.key
                    || url.key.starts_with(&format!("{}/", prefix.key)))
        })
    }

    fn bucket(&self, bucket: &str) -> anyhow::Result<Bucket> {
        Bucket::connect(&BucketSettings {
            url: format!("s3://{bucket}"),
            options: self.options.clone(),
        })
    }

    /// Lists what `url` names (one object, or every `.parquet` object under
    /// it as a prefix) with sizes and ETags.
    pub async fn resolve(&self, url: &str) -> Result<DatasetSource, ReferenceError> {
        let parsed = S3Url::parse(url).map_err(|reason| ReferenceError::Invalid {
            url: url.to_string(),
            reason,
        })?;
        if !self.permits(&parsed) {
            return Err(ReferenceError::NotAllowed(url.to_string()));
        }
        let storage = |source: anyhow::Error| ReferenceError::Storage {
            url: url.to_string(),
            source,
        };
        let bucket = self.bucket(&parsed.bucket).map_err(storage)?;
        let key = object_store::path::Path::from(parsed.key.as_str());
        let single = if parsed.key.is_empty() || url.ends_with('/') {
            None
        } else {
            bucket.head(&key).await.map_err(storage)?
        };
        let metas: Vec<ObjectMeta> = match single {
            Some(meta) => vec![meta],
            None => bucket
                .list(&key)
                .await
                .map_err(storage)?
                .into_iter()
                .filter(|meta| meta.location.as_ref().ends_with(".parquet"))
                .collect(),
        };
        if metas.is_empty() {
            return Err(ReferenceError::Empty(url.to_string()));
        }
        if metas.len() > MAX_OBJECTS {
            return Err(ReferenceError::TooManyObjects {
                url: url.to_string(),
                count: metas.len(),
            });
        }
        let mut objects = Vec::with_capacity(metas.len());
        for mut meta in metas {
            let object_url = format!("s3://{}/{}", parsed.bucket, meta.location);
            if meta.e_tag.is_none() {
                // Some servers leave ETags out of listings; the object's own metadata has it.
                if let Some(head) = bucket.head(&meta.location).await.map_err(storage)? {
                    meta = head;
                }
            }
            let etag = meta
                .e_tag
                .ok_or_else(|| ReferenceError::NoEtag(object_url.clone()))?;
            objects.push(SourceObject {
                url: object_url,
                size_bytes: meta.size,
                etag,
            });
        }
        Ok(DatasetSource {
            url: url.to_string(),
            objects,
        })
    }

    /// What changed in the objects since registration (`None`: nothing):
    /// the first object that is gone or whose size or ETag differs.
    pub async fn changes(&self, source: &DatasetSource) -> anyhow::Result<Option<String>> {
        // One client per bucket (a dataset's objects usually share one), not per object.
        let mut bucket: Option<Bucket> = None;
        for object in &source.objects {
            let parsed = S3Url::parse(&object.url).map_err(|e| anyhow::anyhow!("{e}"))?;
            let bucket = match &mut bucket {
                Some(open) if open.name() == parsed.bucket => open,
                slot => slot.insert(self.bucket(&parsed.bucket)?),
            };
            let key = object_store::path::Path::from(parsed.key.as_str());
            match bucket.head(&key).await? {
                None => return Ok(Some(format!("the object {} is gone", object.url))),
                Some(meta)
                    if meta.size != object.size_bytes
                        || meta.e_tag.as_deref() != Some(object.etag.as_str()) =>
                {
                    return Ok(Some(format!(
                        "the object {} changed since the dataset was registered \
                         (size {} and ETag {} then, size {} and ETag {} now)",
                        object.url,
                        object.size_bytes,
                        object.etag,
                        meta.size,
                        meta.e_tag.as_deref().unwrap_or("none"),
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(None)
    }

    /// Where polars reads the objects from.
    pub fn location(&self, source: &DatasetSource) -> DatasetLocation {
        DatasetLocation::Objects {
            urls: source.objects.iter().map(|o| o.url.clone()).collect(),
            settings: self.options.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_locations_under_an_allowed_prefix_are_permitted() {
        let access = ReferenceAccess::new(
            &["s3://lake/decisions".into(), "s3://open".into()],
            Vec::new(),
        )
        .unwrap();
        let permits = |url: &str| access.permits(&S3Url::parse(url).unwrap());
        assert!(permits("s3://lake/decisions"));
        assert!(permits("s3://lake/decisions/2026/part-0.parquet"));
        assert!(permits("s3://open/anything.parquet"));
        assert!(!permits("s3://lake/decisions-private/x.parquet"));
        assert!(!permits("s3://lake/other.parquet"));
        assert!(!permits("s3://probity/blobs/ab/cdef"));
        assert!(!ReferenceAccess::default().permits(&S3Url::parse("s3://lake/x").unwrap()));
    }

    #[test]
    fn the_sha256_covers_every_object_and_its_etag() {
        let source = DatasetSource {
            url: "s3://lake/d/".into(),
            objects: vec![SourceObject {
                url: "s3://lake/d/a.parquet".into(),
                size_bytes: 10,
                etag: "\"e1\"".into(),
            }],
        };
        let mut changed = source.clone();
        changed.objects[0].etag = "\"e2\"".into();
        assert_eq!(source.sha256().len(), 64);
        assert_ne!(source.sha256(), changed.sha256());
        assert_eq!(source.sha256(), source.clone().sha256());
    }
}
