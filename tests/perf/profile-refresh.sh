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
. "$ROOT/tests/perf/common.sh"
start_sim "$W"
cat > $W/cli.tfrc <<EOS
provider_installation {
  dev_overrides { "exotel/exotel" = "$W/plug" }
  direct {}
}
EOS
cd $W
ips_config "$N" > main.tf
export TF_CLI_CONFIG_FILE=$W/cli.tfrc
$TF apply -auto-approve -input=false -no-color -parallelism=50 > /dev/null
: > $W/prov.time
/usr/bin/time -f "terraform(+children): user %U s, sys %S s, wall %e s" $TF plan -input=false -no-color > /dev/null
echo "provider processes (user sys wall):"; cat $W/prov.time
awk '{u+=$1; s+=$2} END {print "provider total: user " u " s, sys " s " s"}' $W/prov.time
kill $SIM
wait $SIM 2>/dev/null || true
