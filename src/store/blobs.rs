//! Content-addressed blob store: uploads are streamed to a local staging
//! file while hashed (sha256), then stored under their hash, either in the
//! data folder (`blobs/ab/cdef…`, the default) or in an S3-compatible bucket
//! (`<prefix>/blobs/ab/cdef…`, with `PROBITY_BLOB_URL=s3://…`). Identical
//! content is stored once; a blob is removed when no dataset, model or
//! report (PII findings export) references it any more. Jobs read a blob
//! through a local copy whose hash they have checked.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use bytes::Bytes;
use futures::StreamExt;
use futures::stream::BoxStream;
use sha2::{Digest, Sha256};
use sqlx::{Postgres, Transaction};
use tempfile::TempPath;
use tokio::io::AsyncWriteExt;

use super::bucket::Bucket;

/// The blob store: a local data folder (staging, and the blobs themselves
/// unless a bucket holds them).
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
    bucket: Option<Bucket>,
}

/// A blob's bytes as a local file a job can hand to polars or libtorch.
#[derive(Debug)]
pub enum LocalBlob {
    /// The stored file itself (local backend).
    Stored(PathBuf),
    /// A verified copy in the staging folder, deleted on drop (bucket backend).
    Fetched(TempPath),
}

impl LocalBlob {
    /// Where the bytes are.
    pub fn path(&self) -> &Path {
        match self {
            Self::Stored(path) => path,
            Self::Fetched(path) => path,
        }
    }
}

/// Why a stored blob cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobDefect {
    /// Its file or object is gone.
    Missing,
    /// Its content no longer hashes to its name (changed in storage).
    Altered,
}

/// The bytes of a stored blob, streamed.
pub type BlobStream = BoxStream<'static, std::io::Result<Bytes>>;

/// An upload being written: bytes go to a staging file and into the hash.
pub struct BlobWriter {
    file: tokio::io::BufWriter<tokio::fs::File>,
    path: TempPath,
    hasher: Sha256,
    size: u64,
}

/// A fully written staging file with its content hash; deleted on drop unless committed.
pub struct StagedBlob {
    /// Where the bytes are while staged.
    pub path: TempPath,
    /// Lower-case hex sha256 of the content.
    pub sha256: String,
    /// Length in bytes.
    pub size: u64,
}

/// sha256 (hex) and length of a file, read in 1 MiB pieces.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

impl BlobStore {
    /// Opens (creating directories as needed) the store under `root`;
    /// with a bucket, blob contents live there and `root` holds only
    /// staging files.
    pub fn open(root: &Path, bucket: Option<Bucket>) -> anyhow::Result<Self> {
        for dir in ["blobs", "staging"] {
            std::fs::create_dir_all(root.join(dir))
                .with_context(|| format!("creating {}", root.join(dir).display()))?;
        }
        Ok(Self {
            root: root.to_path_buf(),
            bucket,
        })
    }

    /// The bucket holding blob contents, if one does.
    pub fn bucket(&self) -> Option<&Bucket> {
        self.bucket.as_ref()
    }

    /// Where blobs are kept, for logs.
    pub fn describe(&self) -> String {
        match &self.bucket {
            Some(bucket) => bucket.settings().url.clone(),
            None => self.root.join("blobs").display().to_string(),
        }
    }

    /// Path of the blob with this hash in the local backend (it may not exist).
    fn path_of(&self, sha256: &str) -> PathBuf {
        self.root
            .join("blobs")
            .join(&sha256[..2])
            .join(&sha256[2..])
    }

    /// Object key of the blob with this hash in the bucket backend.
    fn key_of(bucket: &Bucket, sha256: &str) -> object_store::path::Path {
        bucket.key(&format!("blobs/{}/{}", &sha256[..2], &sha256[2..]))
    }

    /// Starts a new staging file.
    pub async fn writer(&self) -> anyhow::Result<BlobWriter> {
        let staging = self.root.join("staging");
        let (file, path) =
            tokio::task::spawn_blocking(move || tempfile::NamedTempFile::new_in(staging))
                .await??
                .into_parts();
        Ok(BlobWriter {
            file: tokio::io::BufWriter::with_capacity(1 << 20, tokio::fs::File::from_std(file)),
            path,
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// The folder of staging files (swept of stale ones at start), for scratch
    /// files a job writes and deletes itself.
    pub fn staging_dir(&self) -> PathBuf {
        self.root.join("staging")
    }

    /// A fresh, empty staging file ending in `suffix` (for output written by Probity itself,
    /// e.g. predictions or a trained model; libtorch wants a plain `name.pt`).
    pub fn staging_file(&self, suffix: &str) -> anyhow::Result<TempPath> {
        Ok(tempfile::Builder::new()
            .prefix("output-")
            .suffix(suffix)
            .tempfile_in(self.staging_dir())?
            .into_temp_path())
    }

    /// Hashes a finished staging file (blocking; call off the async runtime).
    pub fn stage_file(path: TempPath) -> std::io::Result<StagedBlob> {
        let (sha256, size) = hash_file(&path)?;
        Ok(StagedBlob { path, sha256, size })
    }

    /// The blob as a local file whose content was just hashed and found to
    /// match its name: a file swapped or altered in storage is refused
    /// instead of yielding a report that cites the wrong hash. With a
    /// bucket, the object is streamed to a staging copy while hashed.
    pub async fn local_copy(&self, sha256: &str) -> anyhow::Result<Result<LocalBlob, BlobDefect>> {
        match &self.bucket {
            None => {
                let path = self.path_of(sha256);
                let hashed = {
                    let path = path.clone();
                    tokio::task::spawn_blocking(move || hash_file(&path)).await?
                };
                Ok(match hashed {
                    Ok((hash, _)) if hash == sha256 => Ok(LocalBlob::Stored(path)),
                    Ok(_) => Err(BlobDefect::Altered),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(BlobDefect::Missing),
                    Err(e) => return Err(e).context("hashing the stored file"),
                })
            }
            Some(bucket) => {
                let copy = tempfile::Builder::new()
                    .prefix("fetched-")
                    .tempfile_in(self.staging_dir())?
                    .into_temp_path();
                Ok(
                    match bucket
                        .download_hashed(&Self::key_of(bucket, sha256), &copy)
                        .await?
                    {
                        Some(hash) if hash == sha256 => Ok(LocalBlob::Fetched(copy)),
                        Some(_) => Err(BlobDefect::Altered),
                        None => Err(BlobDefect::Missing),
                    },
                )
            }
        }
    }

    /// Whether the stored blob's content still hashes to its name.
    pub async fn content_matches(&self, sha256: &str) -> anyhow::Result<Result<(), BlobDefect>> {
        Ok(self.local_copy(sha256).await?.map(drop))
    }

    /// The blob's length and its bytes as a stream, or `None` when it is gone.
    pub async fn read(&self, sha256: &str) -> anyhow::Result<Option<(u64, BlobStream)>> {
        match &self.bucket {
            None => {
                let file = match tokio::fs::File::open(self.path_of(sha256)).await {
                    Ok(file) => file,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(e).context(format!("opening blob {sha256}")),
                };
                let length = file.metadata().await?.len();
                let stream = tokio_util::io::ReaderStream::with_capacity(file, 1 << 20);
                Ok(Some((length, stream.boxed())))
            }
            Some(bucket) => {
                Ok(bucket
                    .stream(&Self::key_of(bucket, sha256))
                    .await?
                    .map(|(length, stream)| {
                        let stream = stream.map(|chunk| chunk.map_err(std::io::Error::other));
                        (length, stream.boxed())
                    }))
            }
        }
    }

    /// Records the staged blob in Postgres, locking its row for the rest of
    /// the transaction. Insert the rows that reference it next, then `place`
    /// the file: a failed insert (a NUL in a name, say) leaves no file behind.
    pub async fn record(
        &self,
        tx: &mut Transaction<'_, Postgres>,
        staged: &StagedBlob,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO blobs (sha256, size_bytes) VALUES ($1, $2)
             ON CONFLICT (sha256) DO UPDATE SET size_bytes = EXCLUDED.size_bytes",
        )
        .bind(&staged.sha256)
        .bind(staged.size as i64)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Moves a recorded blob's file into place (or uploads it to the
    /// bucket) unless the content is already stored. The returned guard
    /// removes a local file again unless `keep` is called once the
    /// transaction has committed; an uploaded object stays either way (an
    /// unreferenced object is reused by the next upload of that content).
    pub async fn place(&self, staged: StagedBlob) -> anyhow::Result<PlacedBlob> {
        if let Some(bucket) = &self.bucket {
            let key = Self::key_of(bucket, &staged.sha256);
            let stored = bucket.head(&key).await?;
            if stored.is_none_or(|meta| meta.size != staged.size) {
                let started = std::time::Instant::now();
                bucket.upload_file(&staged.path, &key).await?;
                tracing::info!(
                    sha256 = %staged.sha256,
                    bytes = staged.size,
                    seconds = started.elapsed().as_secs_f64(),
                    "blob uploaded to the bucket"
                );
            }
            return Ok(PlacedBlob { placed: None });
        }
        let target = self.path_of(&staged.sha256);
        if tokio::fs::try_exists(&target).await? {
            return Ok(PlacedBlob { placed: None });
        }
        tokio::fs::create_dir_all(target.parent().expect("blob path has a parent")).await?;
        staged
            .path
            .persist(&target)
            .context("moving staged blob into place")?;
        Ok(PlacedBlob {
            placed: Some(target),
        })
    }

    /// Moves the recorded staged blob (if any) into place, commits `tx`, and
    /// keeps the blob only once the commit succeeded.
    pub async fn place_and_commit(
        &self,
        tx: Transaction<'_, Postgres>,
        staged: Option<StagedBlob>,
    ) -> anyhow::Result<()> {
        let placed = match staged {
            Some(staged) => Some(self.place(staged).await?),
            None => None,
        };
        tx.commit().await?;
        if let Some(placed) = placed {
            placed.keep();
        }
        Ok(())
    }

    /// Deletes the blob's row when no dataset, model or report references it
    /// (call after removing the referencing row, inside the same transaction)
    /// and moves its file aside; `BlobRemoval::finish` deletes the file once
    /// the transaction has committed, and dropping it puts the file back.
    /// A bucket's object is deleted at once, while the row lock keeps a
    /// concurrent upload of the same content waiting: should the commit then
    /// fail, the row outlives its object, and the next upload of that
    /// content stores it again.
    pub async fn release_if_unreferenced(
        &self,
        tx: &mut Transaction<'_, Postgres>,
        sha256: &str,
    ) -> anyhow::Result<Option<BlobRemoval>> {
        let locked: Option<String> =
            sqlx::query_scalar("SELECT sha256 FROM blobs WHERE sha256 = $1 FOR UPDATE")
                .bind(sha256)
                .fetch_optional(&mut **tx)
                .await?;
        if locked.is_none() {
            return Ok(None);
        }
        let referenced: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM datasets WHERE blob_sha256 = $1)
                 OR EXISTS (SELECT 1 FROM models WHERE blob_sha256 = $1)
                 OR EXISTS (SELECT 1 FROM reports WHERE pii_findings_sha256 = $1)
                 OR EXISTS (SELECT 1 FROM audit_parts WHERE findings_sha256 = $1)",
        )
        .bind(sha256)
        .fetch_one(&mut **tx)
        .await?;
        if referenced {
            return Ok(None);
        }
        sqlx::query("DELETE FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .execute(&mut **tx)
            .await?;
        if let Some(bucket) = &self.bucket {
            bucket.delete(&Self::key_of(bucket, sha256)).await?;
            return Ok(Some(BlobRemoval { aside: None }));
        }
        let target = self.path_of(sha256);
        let aside = self.root.join("staging").join(format!(
            "deleting-{sha256}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        match tokio::fs::rename(&target, &aside).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).context("moving the blob file aside"),
        }
        Ok(Some(BlobRemoval {
            aside: Some((aside, target)),
        }))
    }

    /// Removes staging files (interrupted uploads, outputs of killed jobs,
    /// blobs moved aside) not modified for `older_than`; the count removed.
    pub fn sweep_staging(&self, older_than: std::time::Duration) -> std::io::Result<usize> {
        let mut removed = 0;
        for entry in std::fs::read_dir(self.root.join("staging"))? {
            let entry = entry?;
            let age = entry.metadata()?.modified()?.elapsed().unwrap_or_default();
            if age >= older_than && entry.file_type()?.is_file() {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// A blob file just moved into place for a transaction that has not
/// committed yet: dropped without `keep`, it removes the file again.
#[must_use = "call keep() once the transaction has committed"]
pub struct PlacedBlob {
    placed: Option<PathBuf>,
}

impl PlacedBlob {
    /// The transaction committed: the file stays.
    pub fn keep(mut self) {
        self.placed = None;
    }
}

impl Drop for PlacedBlob {
    fn drop(&mut self) {
        if let Some(path) = self.placed.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A blob file moved aside by a delete that has not committed yet: `finish`
/// deletes it after the commit; dropped without `finish`, it goes back.
#[must_use = "call finish() once the transaction has committed"]
pub struct BlobRemoval {
    aside: Option<(PathBuf, PathBuf)>,
}

impl BlobRemoval {
    /// The delete committed: the file goes.
    pub fn finish(mut self) {
        if let Some((aside, _)) = self.aside.take()
            && let Err(e) = std::fs::remove_file(&aside)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(error = %e, "removing a deleted blob's file failed; the staging sweep will");
        }
    }
}

impl Drop for BlobRemoval {
    fn drop(&mut self) {
        if let Some((aside, target)) = self.aside.take() {
            let _ = std::fs::rename(aside, target);
        }
    }
}

/// Output Probity writes itself (predictions, PII findings), hashed (sha256) and
/// counted as it is written, so the staging file is staged without reading it back.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps the writer of a staging file.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    /// Flushes and returns the staged blob at `path` (where `inner` wrote).
    pub fn finish(mut self, path: TempPath) -> std::io::Result<StagedBlob> {
        self.inner.flush()?;
        Ok(StagedBlob {
            path,
            sha256: hex::encode(self.hasher.finalize()),
            size: self.size,
        })
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl BlobWriter {
    /// Appends bytes to the staging file and the hash.
    pub async fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        self.file.write_all(chunk).await
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Flushes the file and returns the staged blob with its hash.
    pub async fn finish(mut self) -> std::io::Result<StagedBlob> {
        self.file.flush().await?;
        self.file.get_mut().sync_data().await?;
        Ok(StagedBlob {
            path: self.path,
            sha256: hex::encode(self.hasher.finalize()),
            size: self.size,
        })
    }
}
