#!/usr/bin/env bash
# Where the time of a large refresh goes: CPU of the provider processes vs
# Terraform core, for 1 trunk + N-1 whitelisted IPs (default N=2000).
# Needs `cargo test --release` (or `cargo run --release --example bench`) first:
# it uses target/release (or the provider binary PROVIDER names) and the
# Terraform in target/tf-venv.
#   N=2000 bash tests/perf/profile-refresh.sh
set -euo pipefail
N=${N:-2000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TF=$ROOT/target/tf-venv/bin/terraform
W=$(mktemp -d)
mkdir -p $W/plug
REAL=$ROOT/target/release/terraform-provider-exotel
cat > $W/plug/terraform-provider-exotel <<EOS
#!/usr/bin/env bash
exec /usr/bin/time -a -o $W/prov.time -f "%U %S %e" ${PROVIDER:-$REAL} "\$@"
EOS
chmod +x $W/plug/terraform-provider-exotel
$ROOT/target/release/exotel-vsip-sim --port 0 --account-sid acme1 --api-key k --api-token t > $W/sim.out &
SIM=$!
sleep 0.5
URL=$(sed -n 's/^export EXOTEL_BASE_URL=//p' $W/sim.out)
cat > $W/cli.tfrc <<EOS
provider_installation {
  dev_overrides { "exotel/exotel" = "$W/plug" }
  direct {}
}
EOS
cd $W
{
  printf 'terraform {\n  required_providers {\n    exotel = { source = "exotel/exotel" }\n  }\n}\n'
  printf 'provider "exotel" {\n  max_requests_per_minute = 0\n}\n'
  printf 'resource "exotel_trunk" "t" {\n  trunk_name = "bench"\n}\n'
  for i in $(seq 0 $((N-2))); do
    printf 'resource "exotel_trunk_whitelisted_ip" "i%d" {\n  trunk_sid = exotel_trunk.t.trunk_sid\n  ip = "10.%d.%d.1"\n}\n' $i $((i/250)) $((i%250))
  done
} > main.tf
export TF_CLI_CONFIG_FILE=$W/cli.tfrc EXOTEL_BASE_URL=$URL EXOTEL_API_KEY=k EXOTEL_API_TOKEN=t EXOTEL_ACCOUNT_SID=acme1 CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
$TF apply -auto-approve -input=false -no-color -parallelism=50 > /dev/null
: > $W/prov.time
/usr/bin/time -f "terraform(+children): user %U s, sys %S s, wall %e s" $TF plan -input=false -no-color > /dev/null
echo "provider processes (user sys wall):"; cat $W/prov.time
awk '{u+=$1; s+=$2} END {print "provider total: user " u " s, sys " s " s"}' $W/prov.time
kill $SIM
wait $SIM 2>/dev/null || true
