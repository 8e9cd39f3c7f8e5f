#!/usr/bin/env bash
# Runs every test: unit tests, Bevy system tests, and the screenshot tests of the real kiosk
# under Xvfb + lavapipe. Installs what is missing first. Usage: bash scripts/test.sh
source "$(dirname "$0")/lib.sh"

started=$(date +%s)
ensure_rust
ensure_packages "${BUILD_PACKAGES[@]}" "${RUN_PACKAGES[@]}" "${HEADLESS_PACKAGES[@]}" "${BROWSER_PACKAGES[@]}" "${BROKER_PACKAGES[@]}"

say "checking formatting"
cargo fmt --all -- --check

say "building (cache: $CARGO_TARGET_DIR)"
cargo build --workspace --all-targets --locked

say "running tests"
set +e
cargo test --workspace --locked 2>&1 | tee "$CARGO_TARGET_DIR/last-test.log"
status=${PIPESTATUS[0]}
set -e

passed=$(grep -Eo '[0-9]+ passed' "$CARGO_TARGET_DIR/last-test.log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$CARGO_TARGET_DIR/last-test.log" | awk '{s+=$1} END {print s+0}')
say "done in $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed"
exit "$status"
