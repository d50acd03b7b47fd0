//! An S3-compatible bucket reached through `object_store` (the crate polars
//! itself reads cloud files with): where blob contents live when
//! `PROBITY_BLOB_URL` is `s3://bucket/prefix`, and where datasets by
//! reference are read from.

use std::path::Path as LocalPath;
use std::sync::Arc;

use anyhow::Context;
use futures::StreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path;
use object_store::{GetOptions, ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The smallest part of a multipart upload (S3 allows 5 MiB and up).
const MIN_PART_BYTES: u64 = 8 << 20;
/// Parts an upload aims to stay under (S3 allows 10,000 per object).
const MAX_PARTS: u64 = 9_000;
/// Parts in flight at once per upload: memory is this many parts at most.
const PARTS_IN_FLIGHT: usize = 4;

/// How to reach the bucket: its URL and the `object_store` settings (the
/// `aws_*` keys: endpoint, region, credentials, `allow_http`, ...), which
/// polars gets too when it scans objects there.
#[derive(Debug, Clone)]
pub struct BucketSettings {
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub url: String,
    /// `object_store` configuration keys and values.
    pub options: Vec<(String, String)>,
}

impl BucketSettings {
    /// The settings for `url` from the environment's `AWS_*` variables
    /// (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`, ...), as AWS tools read them.
    pub fn from_env(url: &str) -> Self {
        let options = std::env::vars()
            .filter(|(key, _)| key.starts_with("AWS_"))
            .map(|(key, value)| (key.to_ascii_lowercase(), value))
            .filter(|(key, _)| key.parse::<AmazonS3ConfigKey>().is_ok())
            .collect();
        Self {
            url: url.to_string(),
            options,
        }
    }

    /// The same settings for another location in the same storage service.
    pub fn at(&self, url: &str) -> Self {
        Self {
            url: url.to_string(),
            options: self.options.clone(),
        }
    }
}

/// An S3-compatible bucket with a key prefix.
#[derive(Debug, Clone)]
pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    bucket: String,
    prefix: String,
    settings: BucketSettings,
}

/// A bucket location given as `s3://bucket/key-or-prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    /// Bucket name.
    pub bucket: String,
    /// Key or key prefix, without leading or trailing `/` (may be empty).
    pub key: String,
}

impl S3Url {
    /// Parses `s3://bucket[/key]`; the error says what is wrong.
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| "must start with s3://".to_string())?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid_bucket {
            return Err(
                "the bucket name must be 3 to 63 lower-case letters, digits, `-` or `.`".into(),
            );
        }
        let key = key.trim_matches('/');
        if key.split('/').any(|part| part == "." || part == "..")
            || key.contains("//")
            || key.chars().any(char::is_control)
        {
            return Err("the key has an empty, `.` or `..` segment or a control character".into());
        }
        Ok(Self {
            bucket: bucket.to_string(),
            key: key.to_string(),
        })
    }
}

impl Bucket {
    /// Connects (lazily: no request is sent) to the bucket the settings name.
    pub fn connect(settings: &BucketSettings) -> anyhow::Result<Self> {
        let url = S3Url::parse(&settings.url)
            .map_err(|e| anyhow::anyhow!("blob URL `{}` {e}", settings.url))?;
        let mut builder = AmazonS3Builder::new();
        for (key, value) in &settings.options {
            let key: AmazonS3ConfigKey = key
                .parse()
                .with_context(|| format!("unknown object storage setting `{key}`"))?;
            builder = builder.with_config(key, value);
        }
        let store = builder
            .with_bucket_name(&url.bucket)
            .build()
            .with_context(|| format!("configuring object storage for {}", settings.url))?;
        Ok(Self {
            store: Arc::new(store),
            bucket: url.bucket,
            prefix: url.key,
            settings: settings.clone(),
        })
    }

    /// Fails unless the bucket answers with these credentials (a metadata
    /// request for a key that need not exist), so a misconfigured process
    /// stops at start instead of failing its first upload.
    pub async fn check(&self) -> anyhow::Result<()> {
        self.head(&self.key(".probity-check"))
            .await
            .with_context(|| format!("reaching {}", self.settings.url))?;
        Ok(())
    }

    /// The bucket's name.
    pub fn name(&self) -> &str {
        &self.bucket
    }

    /// How this bucket is reached (for polars scans of objects in it).
    pub fn settings(&self) -> &BucketSettings {
        &self.settings
    }

    /// The key `relative` under the configured prefix.
    pub fn key(&self, relative: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(relative)
        } else {
            Path::from(format!("{}/{relative}", self.prefix))
        }
    }

    /// Size and ETag of an object, or `None` when it does not exist.
    pub async fn head(&self, key: &Path) -> anyhow::Result<Option<object_store::ObjectMeta>> {
        match self.store.head(key).await {
            Ok(meta) => Ok(Some(meta)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading the metadata of {key}")),
        }
    }

    /// Every object under `prefix` (sorted by key).
    pub async fn list(&self, prefix: &Path) -> anyhow::Result<Vec<object_store::ObjectMeta>> {
        let mut objects: Vec<_> = self
            .store
            .list(Some(prefix))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .with_context(|| format!("listing {prefix}"))?;
        objects.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(objects)
    }

    /// Uploads a local file to `key` with bounded memory: one request when it
    /// is small, else a multipart upload whose parts grow with the file so
    /// that even a 100 GB file stays under S3's 10,000 parts. Nothing is
    /// copied server-side. A failed upload is aborted.
    pub async fn upload_file(&self, file: &LocalPath, key: &Path) -> anyhow::Result<()> {
        let mut source = tokio::fs::File::open(file)
            .await
            .with_context(|| format!("opening {}", file.display()))?;
        let size = source.metadata().await?.len();
        let part = part_size(size);
        if size < part {
            let mut bytes = Vec::with_capacity(size as usize);
            source.read_to_end(&mut bytes).await?;
            self.store
                .put(key, bytes.into())
                .await
                .with_context(|| format!("uploading {key}"))?;
            return Ok(());
        }
        let upload = self
            .store
            .put_multipart(key)
            .await
            .with_context(|| format!("starting the multipart upload of {key}"))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, part as usize);
        let mut buffer = vec![0u8; 1 << 20];
        let copied: anyhow::Result<()> = async {
            loop {
                let read = source.read(&mut buffer).await?;
                if read == 0 {
                    return Ok(());
                }
                writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
                writer.write(&buffer[..read]);
            }
        }
        .await;
        match copied {
            Ok(()) => {
                writer
                    .finish()
                    .await
                    .with_context(|| format!("completing the multipart upload of {key}"))?;
                Ok(())
            }
            Err(e) => {
                let _ = writer.abort().await;
                Err(e.context(format!("uploading {key}")))
            }
        }
    }

    /// Streams an object into `destination` while hashing it: its sha256
    /// (hex), or `None` when the object does not exist.
    pub async fn download_hashed(
        &self,
        key: &Path,
        destination: &LocalPath,
    ) -> anyhow::Result<Option<String>> {
        let Some((_, mut stream)) = self.stream(key).await? else {
            return Ok(None);
        };
        let mut file = tokio::io::BufWriter::with_capacity(
            1 << 20,
            tokio::fs::File::create(destination)
                .await
                .with_context(|| format!("creating {}", destination.display()))?,
        );
        let mut hasher = Sha256::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.with_context(|| format!("downloading {key}"))?;
            hasher.update(&chunk);
            file.write_all(&chunk).await?;
        }
        file.flush().await?;
        Ok(Some(hex::encode(hasher.finalize())))
    }

    /// The object's size and a stream of its bytes, or `None` when it does
    /// not exist.
    pub async fn stream(
        &self,
        key: &Path,
    ) -> anyhow::Result<
        Option<(
            u64,
            futures::stream::BoxStream<'static, object_store::Result<bytes::Bytes>>,
        )>,
    > {
        match self.store.get_opts(key, GetOptions::default()).await {
            Ok(result) => Ok(Some((result.meta.size, result.into_stream()))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {key}")),
        }
    }

    /// Deletes an object (deleting a missing one is not an error).
    pub async fn delete(&self, key: &Path) -> anyhow::Result<()> {
        match self.store.delete(key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("deleting {key}")),
        }
    }
}

/// Part size of a multipart upload of `size` bytes: at least 8 MiB, and
/// large enough that the upload needs at most 9,000 parts.
pub fn part_size(size: u64) -> u64 {
    let needed = size.div_ceil(MAX_PARTS).next_multiple_of(1 << 20);
    needed.max(MIN_PART_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_stay_under_the_s3_part_limit() {
        assert_eq!(part_size(0), MIN_PART_BYTES);
        assert_eq!(part_size(5 << 30), MIN_PART_BYTES);
        for size in [100u64 << 30, 1 << 40, 5 << 40] {
            let part = part_size(size);
            assert!(size.div_ceil(part) <= 10_000, "{size} in parts of {part}");
            assert!(part <= 5 << 30, "a part above S3's 5 GiB limit");
        }
    }

    #[test]
    fn s3_urls_are_checked() {
        assert_eq!(
            S3Url::parse("s3://audit-data/2026/q1/").unwrap(),
            S3Url {
                bucket: "audit-data".into(),
                key: "2026/q1".into()
            }
        );
        assert_eq!(S3Url::parse("s3://audit-data").unwrap().key, "");
        for bad in [
            "https://x/y",
            "s3://",
            "s3://UPPER/x",
            "s3://ok-bucket/a/../b",
            "s3://ok-bucket/a//b",
        ] {
            assert!(S3Url::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
