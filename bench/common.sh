# Preamble shared by bench/blame.sh and bench/report.sh (sourced, after
# `set -euo pipefail`): ROOT (the repository, made the working directory),
# WORK (BENCH_DIR, or a fresh temporary folder named after the script), say,
# the machine record, and the release build.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WORK=${BENCH_DIR:-$(mktemp -d "/tmp/redline-$(basename "$0" .sh)-bench.XXXXXX")}
mkdir -p "$WORK"
say() { printf '\n== %s\n' "$*" >&2; }

# machine_info: what the figures were measured on, to stderr and $WORK/machine.txt.
machine_info() {
  say "machine"
  {
    echo "nproc: $(nproc)"
    lscpu | grep -E '^(Model name|Architecture|CPU\(s\))' || true
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    rustc --version
    git --version
    echo "redline commit: $(git rev-parse --short HEAD)"
    date -u +"date: %Y-%m-%dT%H:%M:%SZ"
  } | tee "$WORK/machine.txt" >&2
}

# release_build: the release binary and the history generator, as REDLINE and GEN.
release_build() {
  say "release build"
  cargo build --release --bin redline --example generate_history >&2
  REDLINE="$ROOT/target/release/redline"
  GEN="$ROOT/target/release/examples/generate_history"
}
