# shellcheck shell=bash
# Throw-away PostgreSQL and MariaDB servers for the tests: each in its own folder under one run
# folder, on a free loopback port, with a password login for the role `bru` and a database
# `brutest`. Sourced after tools/lib/common.sh, never run.
#
#   servers_start         creates $BRU_RUN_DIR, starts both, writes $BRU_RUN_DIR/env.sh
#   servers_stop [DIR]    stops what servers_start started (safe to call twice) and removes DIR
#
# Layout of a run folder (fixed, so servers_stop needs nothing but the folder):
#   env.sh                the export lines for the tests
#   pg/data pg/sock pg/server.log
#   mariadb/server.cnf mariadb/client.cnf mariadb/data mariadb/sock mariadb/tmp mariadb/server.log
#   mariadb-folded/...    a second, small MariaDB server with lower_case_table_names = 1 (as on
#                         Windows and macOS servers, and on Linux ones set up to match them)

BRU_PG_VERSION=15
BRU_PG_BIN="/usr/lib/postgresql/$BRU_PG_VERSION/bin"

# PostgreSQL refuses to run as root, so as root it runs as the Debian `postgres` user; otherwise as
# the caller. MariaDB likewise drops to `mysql` when started as root.
pg_user() { if [[ $EUID -eq 0 ]]; then echo postgres; else id -un; fi; }
as_pg() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# True when something listens on 127.0.0.1:$1 (or on all addresses at that port).
port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1 &&
    ss -ltnH 2>/dev/null | awk '{print $4}' | grep -Eq "[:.]$port\$"; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Prints a free loopback port, not one of the ports given as arguments. Ports come from
# 15000-32767, below Linux's ephemeral range (32768-60999) so an outgoing connection cannot take
# one between our check and the server's bind; the start is random so two runs side by side
# rarely try the same port (and a server that loses the race is retried on another port).
free_port() {
  local taken=" $* " port tries
  port=$((15000 + RANDOM % 17000))
  for ((tries = 0; tries < 500; tries++)); do
    if [[ $taken != *" $port "* ]] && ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
    port=$((port + 1))
    ((port > 32767)) && port=15000
  done
  die "no free TCP port on 127.0.0.1 in 15000-32767"
}

random_password() {
  local pw
  pw="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  echo "Bru_${pw}"
}

show_log_tail() {
  local log="$1"
  [[ -f $log ]] || return 0
  # The errors first: install-db, for one, ends with a page of advice after them.
  if grep -q -i -E '\[ERROR\]|FATAL|PANIC' "$log"; then
    printf -- '--- errors in %s ---\n' "$log" >&2
    grep -i -E '\[ERROR\]|FATAL|PANIC' "$log" | tail -n 10 >&2
  fi
  printf -- '--- last lines of %s ---\n' "$log" >&2
  tail -n 15 "$log" >&2
  printf -- '---\n' >&2
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_start_once() {
  local dir="$1" port="$2" password="$3"
  local data="$dir/data" sock="$dir/sock" log="$dir/server.log"
  rm -rf "$dir"
  mkdir -p "$data" "$sock"
  chmod 700 "$data"
  chmod 755 "$dir" "$sock"
  [[ $EUID -eq 0 ]] && chown -R postgres: "$dir"

  # Local socket: trust, so the superuser `postgres` is reachable for fixtures (the socket lives in
  # a folder only we know). TCP: passwords (SCRAM), the way bru's users connect.
  if ! as_pg "$BRU_PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1; then
    show_log_tail "$dir/initdb.log"
    die "initdb failed for the test PostgreSQL cluster in $data"
  fi
  cat >>"$data/postgresql.conf" <<EOF

# bru test cluster (tools/lib/servers.sh): loopback only, durability off for speed
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
logging_collector = off
EOF
  # setsid: the server must not get the terminal's Ctrl-C (we stop it ourselves).
  if ! as_pg setsid -w "$BRU_PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 -s start >/dev/null 2>&1; then
    return 1
  fi
  as_pg "$BRU_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || return 1
  # bru_shop_*: the roles the owners and grants of the PostgreSQL fidelity sample name
  # (tests/cli/testdata/pg_shop.sql); roles belong to the cluster, and bru may not create them.
  # session_replication_role: what -RESTORE -DATA-ONLY sets so that no trigger fires during the
  # load; a superuser's setting unless granted.
  psql -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE bru LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE brutest OWNER bru" \
    -c "CREATE ROLE bru_shop_clerk NOLOGIN" -c "CREATE ROLE bru_shop_auditor NOLOGIN" \
    -c "GRANT bru_shop_clerk, bru_shop_auditor TO bru" \
    -c "GRANT SET ON PARAMETER session_replication_role TO bru" >/dev/null ||
    die "could not create role bru / database brutest in the test PostgreSQL cluster"
}

pg_start() {
  local dir="$BRU_RUN_DIR/pg" attempt
  BRU_TEST_PG_PASSWORD="$(random_password)"
  for attempt in 1 2 3; do
    BRU_TEST_PG_PORT="$(free_port)"
    if pg_start_once "$dir" "$BRU_TEST_PG_PORT" "$BRU_TEST_PG_PASSWORD"; then
      info "PostgreSQL $BRU_PG_VERSION on 127.0.0.1:$BRU_TEST_PG_PORT (data $dir/data)"
      return 0
    fi
    if grep -q 'could not bind\|Address already in use' "$dir/server.log" 2>/dev/null; then
      info "port $BRU_TEST_PG_PORT was taken meanwhile; trying another (attempt $attempt)"
      pg_stop "$dir"
      continue
    fi
    break
  done
  show_log_tail "$dir/server.log"
  die "the test PostgreSQL server did not start (log: $dir/server.log)"
}

pg_stop() {
  local dir="$1" data="$1/data"
  [[ -f $data/postmaster.pid ]] || return 0
  if ! as_pg "$BRU_PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 -s stop >/dev/null 2>&1; then
    local pid
    pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
    if [[ -n $pid ]]; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
}

# ---------------------------------------------------------------------------------------------
# MariaDB

mariadb_start_once() {
  local dir="$1" port="$2" password="$3" extra="${4:-}"
  local cnf="$dir/server.cnf" log="$dir/server.log"
  rm -rf "$dir"
  mkdir -p "$dir/data" "$dir/sock" "$dir/tmp"
  chmod 755 "$dir" "$dir/sock"
  local user_line="" auth=normal
  if [[ $EUID -eq 0 ]]; then
    # mariadbd drops root to `mysql`; root logs in through the socket as OS user root.
    user_line="user = mysql"
    auth=socket
    chown -R mysql: "$dir"
  fi
  # Our own option file only (--defaults-file), so /etc/mysql is never read.
  cat >"$cnf" <<EOF
# bru test server (tools/lib/servers.sh): loopback only, durability off for speed
[mariadbd]
$user_line
datadir = $dir/data
socket = $dir/sock/mariadb.sock
pid-file = $dir/mariadbd.pid
log-error = $log
tmpdir = $dir/tmp
port = $port
bind-address = 127.0.0.1
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
innodb_buffer_pool_size = 256M
innodb_flush_log_at_trx_commit = 0
innodb_doublewrite = 0
# The binary log on, as on a DBA's server (replication, point-in-time recovery): backups record
# their snapshot's position in it, and restores of routines meet its rules.
log-bin = $dir/data/binlog
server-id = 1
max_binlog_size = 64M
performance_schema = off
max_connections = 200
# MariaDB's largest, as a DBA's server holding long values has it: the slow tests move a value of
# 200 MiB (tests/slow/mariadb_memory_test.cpp); the default 16M refuses it.
max_allowed_packet = 1G
$extra
EOF
  if ! mariadb-install-db --defaults-file="$cnf" --auth-root-authentication-method="$auth" \
    --skip-test-db >"$dir/install-db.log" 2>&1; then
    show_log_tail "$dir/install-db.log"
    show_log_tail "$log"
    die "mariadb-install-db failed for the test MariaDB server in $dir/data"
  fi
  # setsid: the server must not get the terminal's Ctrl-C (we stop it ourselves) and must outlive
  # this script with --keep-servers.
  setsid mariadbd --defaults-file="$cnf" </dev/null >>"$log" 2>&1 &
  local pid=$! waited
  # Known at once (mariadbd writes its pid-file only later), so an interrupt during start-up
  # still finds the server to stop. setsid execs mariadbd in place: $! is the server's pid.
  echo "$pid" >"$dir/launched.pid"
  for ((waited = 0; waited < 120; waited++)); do
    if mariadb-admin --no-defaults --socket="$dir/sock/mariadb.sock" -u root --connect-timeout=2 \
      ping >/dev/null 2>&1; then
      break
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  ((waited < 120)) || return 1

  mariadb --no-defaults --socket="$dir/sock/mariadb.sock" -u root <<EOF || return 2
CREATE USER 'bru'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER 'bru'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'bru'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'bru'@'localhost' WITH GRANT OPTION;
CREATE DATABASE brutest;
EOF
  # For fixtures and people: `mariadb --defaults-file=$BRU_TEST_MARIADB_CNF` logs in as bru over TCP.
  cat >"$dir/client.cnf" <<EOF
[client]
host = 127.0.0.1
port = $port
user = bru
password = $password
[mysql]
database = brutest
EOF
  chmod 644 "$dir/client.cnf"
}

# mariadb_start FOLDER PORT_VARIABLE [EXTRA_SERVER_OPTIONS]: starts a server in $BRU_RUN_DIR/FOLDER
# with $BRU_TEST_MARIADB_PASSWORD and sets PORT_VARIABLE to its free port.
mariadb_start() {
  local dir="$BRU_RUN_DIR/$1" port_variable="$2" extra="${3:-}" attempt rc port
  for attempt in 1 2 3; do
    port="$(free_port "${BRU_TEST_PG_PORT:-}" "${BRU_TEST_MARIADB_PORT:-}")"
    rc=0
    mariadb_start_once "$dir" "$port" "$BRU_TEST_MARIADB_PASSWORD" "$extra" || rc=$?
    if [[ $rc -eq 0 ]]; then
      printf -v "$port_variable" '%s' "$port"
      info "MariaDB $(mariadbd --version | awk '{print $3}') on 127.0.0.1:$port (data $dir/data)"
      return 0
    fi
    [[ $rc -eq 2 ]] && die "could not create user bru / database brutest in the test MariaDB server"
    if grep -q 'Address already in use\|Do you already have another' "$dir/server.log" 2>/dev/null; then
      info "port $port was taken meanwhile; trying another (attempt $attempt)"
      mariadb_stop "$dir"
      continue
    fi
    break
  done
  show_log_tail "$dir/server.log"
  die "the test MariaDB server did not start (log: $dir/server.log)"
}

mariadb_stop() {
  local dir="$1" pid="" waited
  [[ -f $dir/launched.pid ]] && pid="$(cat "$dir/launched.pid" 2>/dev/null || true)"
  [[ -n $pid ]] || return 0
  # Only a mariadbd of this folder: the pid may have been reused since.
  [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *"mariadbd --defaults-file=$dir/"* ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  # SIGTERM is mariadbd's clean shutdown; it needs no login, so it works whatever the tests did.
  kill -TERM "$pid" 2>/dev/null || true
  for ((waited = 0; waited < 120; waited++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Both

servers_start() {
  [[ -x $BRU_PG_BIN/initdb ]] ||
    die "PostgreSQL $BRU_PG_VERSION server binaries not found in $BRU_PG_BIN" "apt-get install postgresql-$BRU_PG_VERSION"
  BRU_RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bru-servers.XXXXXX")"
  chmod 755 "$BRU_RUN_DIR"
  export BRU_RUN_DIR
  pg_start
  BRU_TEST_MARIADB_PASSWORD="$(random_password)"
  mariadb_start mariadb BRU_TEST_MARIADB_PORT
  # Restores into a server that compares table names without case (restore_names.h).
  mariadb_start mariadb-folded BRU_TEST_MARIADB_FOLDED_PORT \
    "lower_case_table_names = 1
innodb_buffer_pool_size = 32M
skip-log-bin"

  local pg_sock="$BRU_RUN_DIR/pg/sock"
  cat >"$BRU_RUN_DIR/env.sh" <<EOF
# Servers started by tools/test.sh in $BRU_RUN_DIR. Stop them with: tools/test.sh --stop-servers $BRU_RUN_DIR
export BRU_TEST_PG='postgres;127.0.0.1:$BRU_TEST_PG_PORT;brutest;bru;$BRU_TEST_PG_PASSWORD'
export BRU_TEST_MARIADB='mariadb;127.0.0.1:$BRU_TEST_MARIADB_PORT;brutest;bru;$BRU_TEST_MARIADB_PASSWORD'
export BRU_TEST_MARIADB_FOLDED='mariadb;127.0.0.1:$BRU_TEST_MARIADB_FOLDED_PORT;brutest;bru;$BRU_TEST_MARIADB_PASSWORD'
export BRU_TEST_PG_PORT=$BRU_TEST_PG_PORT
export BRU_TEST_PG_PASSWORD='$BRU_TEST_PG_PASSWORD'
export BRU_TEST_PG_URI='postgresql://bru:$BRU_TEST_PG_PASSWORD@127.0.0.1:$BRU_TEST_PG_PORT/brutest'
export BRU_TEST_PG_ADMIN='host=$pg_sock port=$BRU_TEST_PG_PORT user=postgres dbname=postgres'
export BRU_TEST_MARIADB_PORT=$BRU_TEST_MARIADB_PORT
export BRU_TEST_MARIADB_PASSWORD='$BRU_TEST_MARIADB_PASSWORD'
export BRU_TEST_MARIADB_CNF='$BRU_RUN_DIR/mariadb/client.cnf'
export BRU_TEST_MARIADB_SOCKET='$BRU_RUN_DIR/mariadb/sock/mariadb.sock'
export PGHOST=127.0.0.1
export PGPORT=$BRU_TEST_PG_PORT
EOF
  # shellcheck source=/dev/null
  source "$BRU_RUN_DIR/env.sh"
}

servers_stop() {
  local dir="${1:-${BRU_RUN_DIR:-}}"
  [[ -n $dir && -d $dir ]] || return 0
  pg_stop "$dir/pg"
  mariadb_stop "$dir/mariadb"
  mariadb_stop "$dir/mariadb-folded"
  rm -rf "$dir" 2>/dev/null || info "could not remove $dir entirely"
}
