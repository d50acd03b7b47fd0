#!/usr/bin/env bash
# The monitor alert test's false-alarm rate and detection delay on simulated streams
# (probity_fairness::monitoring::simulate_days, seeded): 500 streams of 1,000 days without
# drift, 500 with the gap exactly on the bound, and 200 streams each of three drift sizes.
# Then the cost of testing a year of hourly windows of 50 groups (a backfill) and of one look.
# usage: bench/monitor_alerts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release -p probity-fairness --test monitoring -- --ignored --nocapture
