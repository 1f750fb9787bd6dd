#!/usr/bin/env bash
# Runs a local BFT EVM chain: N Cosmos EVM validators (`evmd`, CometBFT consensus) on 127.0.0.1.
#
#   scripts/evmd-net.sh start   DIR [N]   create N validator homes under DIR (default 4), start them, wait
#                                         until every JSON-RPC endpoint answers and blocks advance, write
#                                         DIR/net.json
#   scripts/evmd-net.sh stop    DIR       stop every validator of DIR (idempotent)
#   scripts/evmd-net.sh status  DIR       one line per validator: pid, running or not, JSON-RPC head
#   scripts/evmd-net.sh kill    DIR I     SIGKILL validator I (fault injection: a crashed validator)
#   scripts/evmd-net.sh restart DIR I     start validator I again, with the same flags, and wait for its
#                                         JSON-RPC endpoint
#
# Needs the evmd binary (scripts/install-evmd.sh puts it in .tools/bin/evmd; $VAULTNODE_EVMD overrides),
# jq and curl.
#
# Environment:
#   EVMD_PORT_BASE      first TCP port (default 26600). Validator I listens on BASE+10*I+0..5: CometBFT
#                       p2p, CometBFT RPC, pprof, gRPC, Ethereum JSON-RPC (http), Ethereum JSON-RPC
#                       (websocket); all on 127.0.0.1. Networks running at the same time need bases at
#                       least 10*N apart.
#   EVMD_TIMEOUT_COMMIT CometBFT timeout_commit, the pause after each block (default 500ms).
#   EVMD_START_TIMEOUT  seconds to wait for the network (or a restarted validator) to come up (default 180).
#
# Layout of DIR: node0..node{N-1} (one evmd home each, with evmd.log and evmd.pid), net.env (what
# `restart` needs), net.json:
#   {"chainId": 4221, "validators": [{"name": "node0", "home": "DIR/node0", "rpc": "http://127.0.0.1:PORT",
#    "pid": 1234, "log": "DIR/node0/evmd.log"}, ...],
#    "funder": {"address": "0x…", "privateKey": "hex, no 0x"}}
# The funder account holds 10^9 of the chain's coin (10^27 wei) from genesis; its key is exported so
# tests and operators can fund their own accounts. Keys use the insecure `test` keyring backend: this
# network is for tests and local trials only.
#
# Chain: Cosmos chain id "9001", the example chain's id in upstream's local_node.sh (each home's client
# config must name a chain id, or evmd does not load its EVM coin settings and `genesis gentx` panics),
# EVM chain id 4221 (evmd's built-in default), coin "atest" with 18 decimals, every validator bonded with
# the same stake, so any 3 of 4 validators (more than 2/3 of the voting power) make blocks and 2 of 4 halt
# the chain.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
EVMD=${VAULTNODE_EVMD:-$repo/.tools/bin/evmd}
CHAIN_ID=9001                       # Cosmos chain id, also set as each home's client chain id
DENOM=atest                         # base coin of the EVM chain (1 test = 10^18 atest = 1 "ether")
VAL_BALANCE=1000000000000000000000000  # 10^6 test per validator account
VAL_STAKE=1000000000000000000000        # 10^3 test bonded by each validator (equal voting power)
FUNDER_BALANCE=1000000000000000000000000000  # 10^9 test for the funder account
BLOCK_GAS=60000000                  # block gas limit (as the geth --dev test node)

log() { echo "evmd-net: $*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

need_tools() {
  [ -x "$EVMD" ] || die "no evmd binary at $EVMD: run scripts/install-evmd.sh or set VAULTNODE_EVMD"
  command -v jq >/dev/null || die "jq is required"
  command -v curl >/dev/null || die "curl is required"
}

# Ports of validator I: BASE + 10*I + offset.
port() { # port I OFFSET
  echo $(( BASE + 10 * $1 + $2 ))
}
p2p_port() { port "$1" 0; }
rpc_port() { port "$1" 1; }
pprof_port() { port "$1" 2; }
grpc_port() { port "$1" 3; }
jsonrpc_port() { port "$1" 4; }
ws_port() { port "$1" 5; }

port_in_use() { # true when something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The evmd command line of validator I (used by start and restart, so both run the same node).
node_args() { # node_args I
  local i=$1 home=$DIR/node$1
  echo start --home "$home" --chain-id "$CHAIN_ID" \
    --p2p.laddr "tcp://127.0.0.1:$(p2p_port "$i")" \
    --rpc.laddr "tcp://127.0.0.1:$(rpc_port "$i")" \
    --rpc.pprof_laddr "127.0.0.1:$(pprof_port "$i")" \
    --grpc.address "127.0.0.1:$(grpc_port "$i")" \
    --json-rpc.enable \
    --json-rpc.address "127.0.0.1:$(jsonrpc_port "$i")" \
    --json-rpc.ws-address "127.0.0.1:$(ws_port "$i")" \
    --json-rpc.api eth,net,web3,txpool \
    --api.enable=false --grpc-web.enable=false \
    --minimum-gas-prices "0$DENOM" \
    --log_level info --log_no_color
}

# True while process PID exists and has not exited (an exited process not yet reaped is a zombie, Z).
alive() { # alive PID
  [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# Starts validator I in the background, detached from this shell (its own session, stdin closed,
# output to its log), and records its pid once the process is evmd (setsid has exec'ed it).
launch() { # launch I
  local i=$1 home=$DIR/node$1 pid tries=0
  # shellcheck disable=SC2046 # node_args prints words without spaces
  setsid "$EVMD" $(node_args "$i") </dev/null >>"$home/evmd.log" 2>&1 &
  pid=$!
  echo "$pid" >"$home/evmd.pid"
  while [ -z "$(running_pid "$i")" ] && alive "$pid" && [ "$tries" -lt 100 ]; do
    sleep 0.05
    tries=$(( tries + 1 ))
  done
}

# The pid of validator I when that process is running (and is still our evmd), else nothing. A process
# that exited but was not reaped yet (zombie) has an empty cmdline and counts as not running.
running_pid() { # running_pid I
  local f=$DIR/node$1/evmd.pid pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--home $DIR/node$1 "; then
    echo "$pid"
  fi
}

# eth_blockNumber of the JSON-RPC endpoint on PORT, as a decimal number; fails when it does not answer.
block_number() { # block_number PORT
  local out
  out=$(curl -s --max-time 2 -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' "http://127.0.0.1:$1") || return 1
  out=$(jq -r '.result // empty' <<<"$out" 2>/dev/null) || return 1
  [ -n "$out" ] || return 1
  echo $(( out ))
}

chain_id() { # chain_id PORT: eth_chainId as a decimal number
  local out
  out=$(curl -s --max-time 2 -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$1" | jq -r '.result')
  echo $(( out ))
}

# Waits until validator I's JSON-RPC answers; with a second argument, until its head is above that.
wait_rpc() { # wait_rpc I [ABOVE]
  local i=$1 above=${2:--1} deadline=$(( $(date +%s) + START_TIMEOUT )) n
  while :; do
    if n=$(block_number "$(jsonrpc_port "$i")") && [ "$n" -gt "$above" ]; then
      echo "$n"
      return 0
    fi
    if [ -z "$(running_pid "$i")" ]; then
      log "node$i exited; last lines of $DIR/node$i/evmd.log:"
      tail -n 30 "$DIR/node$i/evmd.log" >&2
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "node$i: no JSON-RPC head above $above on port $(jsonrpc_port "$i") after ${START_TIMEOUT}s; last lines of its log:"
      tail -n 30 "$DIR/node$i/evmd.log" >&2
      return 1
    fi
    sleep 0.3
  done
}

# Writes DIR/net.json from the pid files and what start recorded.
write_net_json() {
  local vals="[]" i pid
  for (( i = 0; i < N; i++ )); do
    pid=$(cat "$DIR/node$i/evmd.pid" 2>/dev/null || echo 0)
    vals=$(jq -c --arg name "node$i" --arg home "$DIR/node$i" --arg rpc "http://127.0.0.1:$(jsonrpc_port "$i")" \
      --argjson pid "${pid:-0}" --arg log "$DIR/node$i/evmd.log" \
      '. + [{name: $name, home: $home, rpc: $rpc, pid: $pid, log: $log}]' <<<"$vals")
  done
  jq -n --argjson chainId "$EVM_CHAIN_ID" --argjson validators "$vals" \
    --arg address "$FUNDER_ADDRESS" --arg key "$FUNDER_KEY" \
    '{chainId: $chainId, validators: $validators, funder: {address: $address, privateKey: $key}}' >"$DIR/net.json.tmp"
  mv "$DIR/net.json.tmp" "$DIR/net.json"
}

# Reads DIR/net.env, written by start: BASE, N, the EVM chain id and the funder.
load_env() {
  [ -f "$DIR/net.env" ] || die "$DIR/net.env not found: not a network made by '$0 start'"
  # shellcheck disable=SC1091
  . "$DIR/net.env"
}

# Sets KEY = VALUE in the [SECTION] of a TOML file (the key must exist there, as evmd init writes it).
toml_set() { # toml_set FILE SECTION KEY VALUE (VALUE as TOML: quoted strings keep their quotes)
  local file=$1 section=$2 key=$3 value=$4
  awk -v section="[$section]" -v key="$key" -v value="$value" '
    /^\[/ { in_section = ($0 == section) }
    in_section && $1 == key && $2 == "=" && !done { print key " = " value; done = 1; next }
    { print }
    END { if (!done) exit 1 }
  ' "$file" >"$file.tmp" || die "$file: no key $key in [$section]"
  mv "$file.tmp" "$file"
}

# Runs FUNCTION I for every validator I at the same time; fails when any of them failed.
for_each_node() { # for_each_node FUNCTION
  local i pids=() failed=0
  for (( i = 0; i < N; i++ )); do
    "$1" "$i" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do
    wait "$i" || failed=1
  done
  return "$failed"
}

# Creates validator I's home: `evmd init` (node and consensus keys, default config and genesis), the
# client config, and the account key val{I}. Leaves the node id in HOME/node-id and the account's
# address in HOME/account.
setup_home() { # setup_home I
  local i=$1 home=$DIR/node$1 out
  out=$("$EVMD" init "node$i" --chain-id "$CHAIN_ID" --home "$home" 2>&1 >/dev/null) || { echo "$out" >&2; return 1; }
  jq -r .node_id <<<"$out" >"$home/node-id"
  # What `evmd config set client chain-id 9001` and `... keyring-backend test` do. Without the client
  # chain id evmd does not know its coin settings (gentx would panic).
  sed -i -e "s/^chain-id = .*/chain-id = \"$CHAIN_ID\"/" -e 's/^keyring-backend = .*/keyring-backend = "test"/' \
    "$home/config/client.toml"
  "$EVMD" keys add "val$i" --keyring-backend test --algo eth_secp256k1 --home "$home" --output json 2>/dev/null |
    jq -r .address >"$home/account"
  grep -q '^cosmos1' "$home/account"
}

# Validator I signs its staking transaction (bond VAL_STAKE, its p2p address in the memo) into node0's
# gentx folder.
sign_gentx() { # sign_gentx I
  local i=$1
  "$EVMD" genesis gentx "val$i" "$VAL_STAKE$DENOM" --chain-id "$CHAIN_ID" --gas-prices "10000000$DENOM" \
    --ip 127.0.0.1 --p2p-port "$(p2p_port "$i")" --keyring-backend test --home "$DIR/node$i" \
    --output-document "$DIR/node0/config/gentx/gentx-node$i.json" >/dev/null 2>&1 ||
    { log "gentx of node$i failed"; return 1; }
}

cmd_start() {
  N=${1:-4}
  [[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number, got '$N'"
  BASE=${EVMD_PORT_BASE:-26600}
  [[ $BASE =~ ^[0-9]+$ ]] && [ "$BASE" -ge 1024 ] && [ $(( BASE + 10 * N )) -le 65535 ] ||
    die "EVMD_PORT_BASE=$BASE: need 1024 <= base and base + 10*N <= 65535"
  local timeout_commit=${EVMD_TIMEOUT_COMMIT:-500ms}
  [ ! -e "$DIR/node0" ] || die "$DIR already holds a network: stop it and use a fresh directory"
  local i p
  for (( i = 0; i < N; i++ )); do
    for p in $(p2p_port "$i") $(rpc_port "$i") $(pprof_port "$i") $(grpc_port "$i") $(jsonrpc_port "$i") $(ws_port "$i"); do
      ! port_in_use "$p" || die "port $p is in use: choose another EVMD_PORT_BASE"
    done
  done
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  local t0=$SECONDS
  local kr=(--keyring-backend test)

  # 1. One home per validator (all at once): node key, consensus key, client config, an account key.
  #    Each evmd command takes a second or more (it builds the app at start), so the homes are made in
  #    parallel; each job leaves its node id and account address in its home.
  log "creating $N validator homes in $DIR"
  for_each_node setup_home || die "setting up the validator homes failed"
  local addrs=() node_ids=()
  for (( i = 0; i < N; i++ )); do
    addrs+=("$(cat "$DIR/node$i/account")")
    node_ids+=("$(cat "$DIR/node$i/node-id")")
  done
  # The funder: an account with a large balance whose Ethereum key net.json exports.
  local funder_bech32
  funder_bech32=$("$EVMD" keys add funder "${kr[@]}" --algo eth_secp256k1 --home "$DIR/node0" --output json 2>/dev/null | jq -r .address)
  FUNDER_KEY=$("$EVMD" keys unsafe-export-eth-key funder "${kr[@]}" --home "$DIR/node0" | tr 'A-F' 'a-f')
  FUNDER_ADDRESS=0x$("$EVMD" debug addr "$funder_bech32" | sed -n 's/^Address (hex): //p' | tr 'A-F' 'a-f')
  [[ $FUNDER_ADDRESS =~ ^0x[0-9a-f]{40}$ ]] || die "could not read the funder's address"

  # 2. Genesis, built in node0: every denomination is the EVM coin (as cosmos/evm's local_node.sh
  #    does), block gas limit, balances of the validators and the funder.
  local genesis=$DIR/node0/config/genesis.json
  jq --arg d "$DENOM" --arg gas "$BLOCK_GAS" '
    .app_state.staking.params.bond_denom = $d
    | .app_state.gov.params.min_deposit[0].denom = $d
    | .app_state.gov.params.expedited_min_deposit[0].denom = $d
    | .app_state.evm.params.evm_denom = $d
    | .app_state.mint.params.mint_denom = $d
    | .app_state.bank.denom_metadata = [{description: "The native staking token for evmd.",
        denom_units: [{denom: $d, exponent: 0, aliases: ["attotest"]}, {denom: "test", exponent: 18, aliases: []}],
        base: $d, display: "test", name: "Test Token", symbol: "TEST", uri: "", uri_hash: ""}]
    | .consensus.params.block.max_gas = $gas
  ' "$genesis" >"$genesis.tmp"
  mv "$genesis.tmp" "$genesis"
  for (( i = 0; i < N; i++ )); do
    "$EVMD" genesis add-genesis-account "${addrs[$i]}" "$VAL_BALANCE$DENOM" --home "$DIR/node0" >/dev/null
  done
  "$EVMD" genesis add-genesis-account "$funder_bech32" "$FUNDER_BALANCE$DENOM" --home "$DIR/node0" >/dev/null

  # 3. Each validator signs its own staking transaction (gentx) against that genesis; node0 collects
  #    them, and the final genesis goes to every home.
  for (( i = 1; i < N; i++ )); do
    cp "$genesis" "$DIR/node$i/config/genesis.json"
  done
  mkdir -p "$DIR/node0/config/gentx"
  for_each_node sign_gentx || die "a gentx failed"
  "$EVMD" genesis collect-gentxs --home "$DIR/node0" >/dev/null 2>&1 || die "collect-gentxs failed"
  "$EVMD" genesis validate-genesis --home "$DIR/node0" >/dev/null || die "the genesis does not validate"
  for (( i = 1; i < N; i++ )); do
    cp "$genesis" "$DIR/node$i/config/genesis.json"
  done

  # 4. CometBFT settings: every validator dials all others; several nodes share 127.0.0.1; fast blocks.
  local peers=()
  for (( i = 0; i < N; i++ )); do
    peers+=("${node_ids[$i]}@127.0.0.1:$(p2p_port "$i")")
  done
  local peer_list
  peer_list=$(IFS=,; echo "${peers[*]}")
  local cfg
  for (( i = 0; i < N; i++ )); do
    cfg=$DIR/node$i/config/config.toml
    toml_set "$cfg" p2p persistent_peers "\"$peer_list\""
    toml_set "$cfg" p2p allow_duplicate_ip true
    toml_set "$cfg" p2p addr_book_strict false
    toml_set "$cfg" p2p pex false
    toml_set "$cfg" consensus timeout_commit "\"$timeout_commit\""
    # A crashed validator's turn to propose costs timeout_propose (default 3s) before the next round.
    toml_set "$cfg" consensus timeout_propose "\"1s\""
  done

  # What stop, status, kill and restart need, then the validators.
  EVM_CHAIN_ID=0
  cat >"$DIR/net.env" <<EOF
BASE=$BASE
N=$N
EVM_CHAIN_ID=$EVM_CHAIN_ID
FUNDER_ADDRESS=$FUNDER_ADDRESS
FUNDER_KEY=$FUNDER_KEY
EOF
  chmod 600 "$DIR/net.env"
  log "genesis ready in $(( SECONDS - t0 ))s; starting $N validators (ports $BASE..$(( BASE + 10 * N - 1 )))"
  for (( i = 0; i < N; i++ )); do
    launch "$i"
  done

  # 5. Wait until every JSON-RPC endpoint answers, then until every endpoint has seen a newer block.
  local heads=() h
  for (( i = 0; i < N; i++ )); do
    h=$(wait_rpc "$i") || { cmd_stop >/dev/null; die "node$i did not come up (network stopped)"; }
    heads+=("$h")
  done
  for (( i = 0; i < N; i++ )); do
    wait_rpc "$i" "${heads[$i]}" >/dev/null || { cmd_stop >/dev/null; die "node$i: blocks do not advance (network stopped)"; }
  done
  EVM_CHAIN_ID=$(chain_id "$(jsonrpc_port 0)")
  sed -i "s/^EVM_CHAIN_ID=.*/EVM_CHAIN_ID=$EVM_CHAIN_ID/" "$DIR/net.env"
  write_net_json
  log "$N validators up in $(( SECONDS - t0 ))s, EVM chain id $EVM_CHAIN_ID; JSON-RPC of node0: http://127.0.0.1:$(jsonrpc_port 0); see $DIR/net.json"
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  local i f pid waited
  for f in "$DIR"/node*/evmd.pid; do
    [ -f "$f" ] || continue
    i=${f%/evmd.pid}
    i=${i##*/node}
    pid=$(running_pid "$i")
    if [ -n "$pid" ]; then
      kill -TERM "$pid" 2>/dev/null || true
      waited=0
      while [ -n "$(running_pid "$i")" ] && [ "$waited" -lt 100 ]; do
        sleep 0.1
        waited=$(( waited + 1 ))
      done
      kill -KILL "$pid" 2>/dev/null || true
      log "node$i (pid $pid) stopped"
    fi
    rm -f "$f"
  done
}

cmd_status() {
  load_env
  local i pid head
  for (( i = 0; i < N; i++ )); do
    pid=$(running_pid "$i")
    head=$(block_number "$(jsonrpc_port "$i")" 2>/dev/null) || head="-"
    printf 'node%d  %-8s pid %-8s json-rpc http://127.0.0.1:%d  head %s\n' "$i" \
      "$([ -n "$pid" ] && echo running || echo stopped)" "${pid:--}" "$(jsonrpc_port "$i")" "$head"
  done
}

check_index() { # check_index I
  [[ ${1:-} =~ ^[0-9]+$ ]] && [ "$1" -lt "$N" ] || die "validator index must be 0..$(( N - 1 )), got '${1:-}'"
}

cmd_kill() {
  load_env
  check_index "${1:-}"
  local pid
  pid=$(running_pid "$1")
  [ -n "$pid" ] || die "node$1 is not running"
  kill -KILL "$pid"
  while [ -n "$(running_pid "$1")" ]; do sleep 0.05; done # gone (or a zombie, which has no cmdline)
  log "node$1 (pid $pid) killed with SIGKILL"
}

cmd_restart() {
  load_env
  check_index "${1:-}"
  [ -z "$(running_pid "$1")" ] || die "node$1 is already running"
  echo "--- restart $(date -u +%FT%TZ) ---" >>"$DIR/node$1/evmd.log"
  launch "$1"
  wait_rpc "$1" >/dev/null || die "node$1 did not come back"
  write_net_json
  log "node$1 restarted (pid $(cat "$DIR/node$1/evmd.pid"))"
}

cmd=${1:-}
[ $# -ge 2 ] || usage
DIR=$2
START_TIMEOUT=${EVMD_START_TIMEOUT:-180}
case $cmd in
  start)
    need_tools
    cmd_start "${3:-4}"
    ;;
  stop)
    [ -d "$DIR" ] && DIR=$(cd "$DIR" && pwd)
    cmd_stop
    ;;
  status)
    DIR=$(cd "$DIR" && pwd)
    cmd_status
    ;;
  kill)
    DIR=$(cd "$DIR" && pwd)
    cmd_kill "${3:-}"
    ;;
  restart)
    need_tools
    DIR=$(cd "$DIR" && pwd)
    cmd_restart "${3:-}"
    ;;
  *)
    usage
    ;;
esac
