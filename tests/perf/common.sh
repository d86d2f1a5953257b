# Shared by the scripts in tests/perf (sourced, not run): the simulator and
# the refresh configuration they measure. Expects ROOT (the repository).

# Starts the release simulator with its output in $1/sim.out; sets SIM (its
# pid) and exports the provider's EXOTEL_* settings and Terraform's quiet
# switches.
start_sim() {
  "$ROOT/target/release/exotel-vsip-sim" --port 0 --account-sid acme1 --api-key k --api-token t > "$1/sim.out" &
  SIM=$!
  sleep 0.5
  EXOTEL_BASE_URL=$(sed -n 's/^export EXOTEL_BASE_URL=//p' "$1/sim.out")
  export EXOTEL_BASE_URL EXOTEL_API_KEY=k EXOTEL_API_TOKEN=t EXOTEL_ACCOUNT_SID=acme1 CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
}

# Prints the configuration of 1 trunk + $1-1 whitelisted IPs, unlimited rate.
ips_config() {
  printf 'terraform {\n  required_providers {\n    exotel = { source = "exotel/exotel" }\n  }\n}\n'
  printf 'provider "exotel" {\n  max_requests_per_minute = 0\n}\n'
  printf 'resource "exotel_trunk" "t" {\n  trunk_name = "bench"\n}\n'
  for i in $(seq 0 $(($1 - 2))); do
    printf 'resource "exotel_trunk_whitelisted_ip" "i%d" {\n  trunk_sid = exotel_trunk.t.trunk_sid\n  ip = "10.%d.%d.1"\n}\n' "$i" $((i / 250)) $((i % 250))
  done
}
