//! Runs the engine's queries on polars' streaming engine, so an audit's
//! memory grows with its groups (and distinct scores), not with its rows: the
//! file is read in batches and only the aggregates are kept.

use polars::prelude::{DataFrame, Engine, LazyFrame, PolarsResult};

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
