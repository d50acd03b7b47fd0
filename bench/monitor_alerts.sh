#!/usr/bin/env bash
# The monitor alert test's false-alarm rate and detection delay on simulated streams
# (probity_fairness::monitoring::simulate_days, seeded): 500 streams of 1,000 days without
# drift, 500 with the gap exactly on the bound, and 200 streams each of three drift sizes.
# usage: bench/monitor_alerts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -p probity-fairness --test monitoring -- --ignored --nocapture false_alarm_and_detection_figures
