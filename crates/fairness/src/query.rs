//! Runs the engine's queries on polars' streaming engine, so an audit's
//! memory grows with its groups (and distinct scores), not with its rows: the
//! file is read in batches and only the aggregates are kept.

use polars::prelude::{
    DataFrame, DataType, Engine, LazyFrame, PlanCallback, PolarsError, PolarsResult, len,
};

/// Rows per batch when a dataset is read in batches (`for_each_batch`).
pub const BATCH_ROWS: usize = 65_536;

/// Collecting a lazy query with the streaming engine.
pub trait CollectStreaming {
    /// Runs the query in batches (an operation polars cannot stream falls
    /// back to the in-memory engine for its own input only).
    fn collect_streaming(self) -> PolarsResult<DataFrame>;
}

impl CollectStreaming for LazyFrame {
    fn collect_streaming(self) -> PolarsResult<DataFrame> {
        self.collect_with_engine(Engine::Streaming)
            .map(|result| result.unwrap_single())
    }
}

/// The number of rows of `frame`, counted with the streaming engine.
pub fn row_count(frame: &LazyFrame) -> PolarsResult<u64> {
    Ok(frame
        .clone()
        .select([len().cast(DataType::UInt64)])
        .collect_streaming()?
        .column("len")?
        .u64()?
        .get(0)
        .unwrap_or(0))
}

/// Feeds `frame` to `each` in batches of exactly `rows` rows (the last may
/// be shorter), in row order, reading it with polars' streaming engine so
/// that only about one batch is in memory at a time. Batches are cut at
/// fixed row positions, so the same file gives the same batches on every
/// run. An error from `each` stops the read.
pub fn for_each_batch<E: From<PolarsError>>(
    frame: LazyFrame,
    rows: usize,
    mut each: impl FnMut(DataFrame) -> Result<(), E>,
) -> Result<(), E> {
    let rows = rows.max(1);
    let (send, receive) = std::sync::mpsc::sync_channel::<Option<DataFrame>>(1);
    let from_query = send.clone();
    let query = frame.sink_batches(
        PlanCallback::new(move |batch: DataFrame| Ok(from_query.send(Some(batch)).is_err())),
        true,
        std::num::NonZeroUsize::new(rows),
    )?;
    std::thread::scope(|scope| {
        let runner = scope.spawn(move || {
            let ran = query.collect_with_engine(Engine::Streaming).map(|_| ());
            let _ = send.send(None);
            ran
        });
        let mut pending = DataFrame::empty();
        let mut outcome = Ok(());
        while let Ok(Some(batch)) = receive.recv() {
            if pending.width() == 0 {
                pending = batch;
            } else if let Err(error) = pending.vstack_mut_owned(batch) {
                outcome = Err(E::from(error));
                break;
            }
            while pending.height() >= rows && outcome.is_ok() {
                let rest = pending.slice(rows as i64, usize::MAX);
                outcome = each(pending.slice(0, rows));
                pending = rest;
            }
            if outcome.is_err() {
                break;
            }
        }
        drop(receive);
        let ran = runner
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        outcome?;
        ran?;
        if pending.height() > 0 {
            each(pending)?;
        }
        Ok(())
    })
}
