//! The audit engine of Probity: everything an audit does between reading its
//! input files and handing back a report, with no database, HTTP or async
//! runtime. The service (`probity`) stores what this crate produces and runs
//! it in jobs; `probity audit` runs it on local files.

pub mod audit;
pub mod compare;
pub mod counterfactual;
pub mod dataset;
pub mod inference;
pub mod lineage;
pub mod model;
pub mod monitor;
pub mod ner;
pub mod pii_check;
pub mod render;
pub mod report;
pub mod sandbox;
pub mod signing;
pub mod training;
