#!/usr/bin/env bash
# Installs and runs the real servers the integration tests need, on loopback only:
# PostgreSQL 15 (Debian), RabbitMQ 3.10 (Debian) and Kafka 3.9 in KRaft mode (jars from Maven Central).
#   scripts/services.sh up [postgres|rabbitmq|kafka ...]   install if missing, start if down, wait until ready
#   scripts/services.sh up chromium                         Debian's chromium for the console's browser suite (apt, no server)
#   scripts/services.sh start|stop|restart NAME             stop really stops (connections get refused)
#   scripts/services.sh freeze|thaw postgres                SIGSTOP / SIGCONT the server and its backends: connections stay open, nothing answers
#   scripts/services.sh reset [rabbitmq|kafka ...]         stop and delete their queues/topics and data (not the install)
#   scripts/services.sh status                              one "NAME: up|down" line per service
#   scripts/services.sh env                                 export lines for `eval "$(scripts/services.sh env)"`
#   scripts/services.sh rabbitmqctl|kafka-acls|kafka-configs ARGS...   the admin tools, against our servers
# Env: PG_PORT RABBITMQ_PORT (RABBITMQ_DIST_PORT) KAFKA_PORT (KAFKA_CONTROLLER_PORT KAFKA_SASL_PORT), BATON_SERVICES_DIR, SERVICES_TIMEOUT (s).
set -euo pipefail

DIR=${BATON_SERVICES_DIR:-/var/tmp/baton-services}
PG_PORT=${PG_PORT:-5432}
RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
KAFKA_SASL_PORT=${KAFKA_SASL_PORT:-$((KAFKA_PORT + 2))}
# Erlang distribution port of RabbitMQ: 20000 above AMQP, or below it when that would pass 65535 (a private 56720).
RABBITMQ_DIST_PORT=${RABBITMQ_DIST_PORT:-$((RABBITMQ_PORT + 20000 > 65535 ? RABBITMQ_PORT - 20000 : RABBITMQ_PORT + 20000))}
# 3.9.x, not 4.x: Kafka 4.0 dropped old protocol versions (KIP-896) that kafkajs 2.2.4 still sends.
KAFKA_VERSION=3.9.2
TIMEOUT=${SERVICES_TIMEOUT:-90}
SELF=$(realpath "${BASH_SOURCE[0]}"); REPO=$(dirname "$(dirname "$SELF")")
ALL=(postgres rabbitmq kafka)
export DEBIAN_FRONTEND=noninteractive
cd /   # commands run as postgres/rabbitmq must not start in a directory they cannot read

log() { echo "[services] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# alive PID [CMDLINE-PATTERN]: the pattern guards against a recycled pid; a zombie (PID 1 here
# may reap late) has an empty cmdline and so counts as dead. pid_alive reads line 1 of a pid file.
alive() { kill -0 "$1" 2>/dev/null && grep -qa -- "${2:-.}" "/proc/$1/cmdline" 2>/dev/null; }
pid_alive() { local pid; [[ -s $1 ]] && pid=$(head -n1 "$1") && alive "$pid" "${2:-.}"; }
# await_exit PID: waits for a stopping server, SIGKILL after 30 s, then until the process has gone
# (or is a zombie). `alive` turns false once the kernel has dropped the process's memory (its
# cmdline reads empty), before it has closed its files: a restart right then can find the port or
# the data directory's lock still held, and the new server exits at once.
await_exit() {
  local pid=$1 deadline=$((SECONDS + 30))
  while alive "$pid"; do ((SECONDS < deadline)) || kill -KILL "$pid" 2>/dev/null || true; sleep 0.1; done
  deadline=$((SECONDS + 10))
  while [[ -e /proc/$pid && $(sed -E 's/^.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null) != Z ]] && ((SECONDS < deadline)); do sleep 0.1; done
}
# First thing inside the ( ) that launches a server: close every fd above 2, so no daemon keeps
# a caller's pipe (a CI log, `$(...)`) or our lock file open.
closefds() {
  local fd; for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}; if ((fd > 2)) && [[ -e /proc/$BASHPID/fd/$fd ]]; then eval "exec $fd>&-"; fi; done
}

# A server that dies before its logging starts says why on stdout (kept beside its log).
stdout_tail() { local out=${1%/*}/stdout.log; [[ ! -s $out ]] || { log "last lines of $out:"; tail -n 20 "$out" >&2; }; }
# wait_for DESC LOGFILE PIDFILE CMD...: poll CMD until it succeeds; fail with the log tail on timeout
# or once the server process (PIDFILE, if given and written) has died. Dead means three checks in a
# row: a process in the middle of execve (the launcher becoming the JVM) reads an empty cmdline
# for a moment, and under load one such read once failed a CI run with the server alive.
wait_for() {
  local desc=$1 logf=$2 pidf=$3 deadline=$((SECONDS + TIMEOUT)) why= misses=0; shift 3
  until "$@"; do
    ((SECONDS < deadline)) || why="not ready after ${TIMEOUT}s"
    if [[ -n $pidf && -s $pidf ]] && ! pid_alive "$pidf"; then misses=$((misses + 1)); else misses=0; fi
    ((misses < 3)) || why="server process exited"
    [[ -z $why ]] || { log "$desc: $why; last lines of $logf:"; tail -n 40 "$logf" >&2 || true; stdout_tail "$logf"; exit 1; }
    sleep 0.2
  done
}

# Installs only the missing Debian packages; `apt-get update` only if something is missing.
apt_install() {
  local p missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  log "apt: installing ${missing[*]}…"
  # policy-rc.d exit 101 = "don't start daemons from postinst": we run our own instances.
  local prc=/usr/sbin/policy-rc.d own=
  [[ -e $prc ]] || { printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod +x "$prc"; own=1; }
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$DIR/apt.log" 2>&1 \
    || { [[ -z $own ]] || rm -f "$prc"; tail -n 30 "$DIR/apt.log" >&2; die "apt-get install failed"; }
  [[ -z $own ]] || rm -f "$prc"
}

# ---------------------------------------------------------------- PostgreSQL
PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR=$DIR/postgres; PG_DATA=$DIR/postgres/data; PG_LOG=$DIR/postgres/server.log
pg() { runuser -u postgres -- "$@"; }
pg_sql() { pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -qtAX -c "$1"; }
postgres_running() { pid_alive "$PG_DATA/postmaster.pid" postgres; }
postgres_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }
postgres_install() {
  apt_install postgresql-15 postgresql-client-15
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  log "postgres: initdb in $PG_DATA"
  install -d -o postgres -g postgres -m 700 "$PG_DIR"
  pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  # fsync stays ON on purpose: durable commits are benchmarked. The socket lives in our dir.
  cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 300
fsync = on
EOF
}
postgres_start() {
  postgres_running && return 0
  port_open "$PG_PORT" && die "postgres: port $PG_PORT is taken by another process"
  log "postgres: starting on 127.0.0.1:$PG_PORT…"
  # Not running, yet lock files may remain (kill -9) naming a pid that is still an unreaped zombie.
  rm -f "$PG_DATA/postmaster.pid" "$PG_DIR/.s.PGSQL.$PG_PORT.lock"
  (closefds; pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "-p $PG_PORT" -w -t "$TIMEOUT" start </dev/null >/dev/null) \
    || { tail -n 40 "$PG_LOG" >&2; die "postgres: failed to start"; }
  wait_for postgres "$PG_LOG" "" postgres_ready
  # Role/database are created once; tests create and drop databases, hence SUPERUSER.
  if [[ ! -f $PG_DIR/.provisioned ]]; then
    [[ $(pg_sql "SELECT 1 FROM pg_roles WHERE rolname='baton'") == 1 ]] || pg_sql "CREATE ROLE baton LOGIN SUPERUSER PASSWORD 'baton'"
    [[ $(pg_sql "SELECT 1 FROM pg_database WHERE datname='baton'") == 1 ]] || pg_sql "CREATE DATABASE baton OWNER baton"
    touch "$PG_DIR/.provisioned"
  fi
}
postgres_stop() {
  postgres_running || return 0
  log "postgres: stopping…"
  pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$TIMEOUT" stop >/dev/null
}
# A hung server, not a stopped one (a storage stall, a paused VM): the postmaster first, so that it
# forks no backend meanwhile; a connection made while it is frozen waits in the listen backlog.
postgres_signal() {
  local postmaster; postmaster=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || die "postgres: not running"
  kill "-$1" "$postmaster"
  pkill "-$1" -P "$postmaster" || true
}

# ---------------------------------------------------------------- RabbitMQ
RMQ_DIR=$DIR/rabbitmq; RMQ_BIN=/usr/lib/rabbitmq/bin; RMQ_PID=$RMQ_DIR/rabbit.pid
RMQ_NODE=baton-$RABBITMQ_PORT@localhost   # unique per port: instances on other ports can coexist
# Everything lives in our own dir: node name, Mnesia, logs, config, and the Erlang cookie
# ($HOME/.erlang.cookie), so server and CLI always agree and a restart never hits a cookie mismatch.
# epmd (started by the first node) and the Erlang distribution port stay on loopback.
rmq() {   # timeout: a CLI that cannot reach its node must not hang us
  timeout -k 5 "$TIMEOUT" runuser -u rabbitmq -- env HOME="$RMQ_DIR" ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODENAME="$RMQ_NODE" \
    RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins" RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" \
    RABBITMQ_LOG_BASE="$RMQ_DIR/log" RABBITMQ_PID_FILE="$RMQ_PID" RABBITMQ_DIST_PORT=$RABBITMQ_DIST_PORT \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    "$RMQ_BIN/$@"
}
rabbitmq_running() { pid_alive "$RMQ_PID" beam; }
rabbitmq_install() {
  apt_install rabbitmq-server
  [[ -f $RMQ_DIR/.erlang.cookie ]] && return 0
  install -d -o rabbitmq -g rabbitmq -m 750 "$RMQ_DIR" "$RMQ_DIR/log" "$RMQ_DIR/mnesia"
  head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$RMQ_DIR/.erlang.cookie"
  echo '[].' >"$RMQ_DIR/enabled_plugins"; : >"$RMQ_DIR/rabbitmq-env.conf"
  chown rabbitmq:rabbitmq "$RMQ_DIR"/.erlang.cookie "$RMQ_DIR"/enabled_plugins "$RMQ_DIR"/rabbitmq-env.conf
  chmod 400 "$RMQ_DIR/.erlang.cookie"
}
rabbitmq_start() {
  rabbitmq_running && return 0
  port_open "$RABBITMQ_PORT" && die "rabbitmq: port $RABBITMQ_PORT is taken by another process"
  log "rabbitmq: starting on 127.0.0.1:$RABBITMQ_PORT…"
  # default_user/default_permissions seed baton/baton (administrator, full rights on "/") when the
  # database is first created; no slow rabbitmqctl round-trips needed.
  cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$RABBITMQ_PORT
default_user = baton
default_pass = baton
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
EOF
  chown rabbitmq:rabbitmq "$RMQ_DIR/rabbitmq.conf"
  rm -f "$RMQ_PID"
  (closefds; cd "$RMQ_DIR"; rmq rabbitmq-server -detached </dev/null >>"$RMQ_DIR/log/startup.log" 2>&1) \
    || { tail -n 20 "$RMQ_DIR/log/startup.log" >&2; die "rabbitmq: failed to launch"; }
  # The AMQP listener opens only once boot (incl. the default user) is complete.
  wait_for rabbitmq "$RMQ_DIR/log/$RMQ_NODE.log" "$RMQ_PID" port_open "$RABBITMQ_PORT"
}
rabbitmq_stop() {
  rabbitmq_running || return 0
  log "rabbitmq: stopping…"
  local pid; pid=$(head -n1 "$RMQ_PID")
  # With the pid file argument, `rabbitmqctl stop` also waits for the OS process to exit;
  # if the CLI fails, SIGTERM (also a clean shutdown), then SIGKILL after 30 s.
  rmq rabbitmqctl stop "$RMQ_PID" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  await_exit "$pid"
  rm -f "$RMQ_PID"
}

# ---------------------------------------------------------------- Kafka (KRaft, single node)
KAFKA_DIR=$DIR/kafka; KAFKA_PID=$KAFKA_DIR/kafka.pid; KAFKA_LOG=$KAFKA_DIR/server.log
KAFKA_JAVA=(java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" -cp "$KAFKA_DIR/lib/*")
kafka_running() { pid_alive "$KAFKA_PID" kafka.Kafka; }
# kafka-acls.sh / kafka-configs.sh: Kafka's own admin classes, logging warnings to stderr, not into the broker's log.
kafka_tool() {
  printf 'log4j.rootLogger=WARN, err\nlog4j.appender.err=org.apache.log4j.ConsoleAppender\nlog4j.appender.err.Target=System.err\nlog4j.appender.err.layout=org.apache.log4j.PatternLayout\nlog4j.appender.err.layout.ConversionPattern=%%p %%m%%n\n' >"$KAFKA_DIR/tools-log4j.properties"
  java -Xmx256m -Djava.awt.headless=true -Dlog4j.configuration="file:$KAFKA_DIR/tools-log4j.properties" -cp "$KAFKA_DIR/lib/*" "$@"
}
# A Kafka started by an older version of this script lacks the SASL listener: `up` restarts it once.
kafka_current() { port_open "$KAFKA_SASL_PORT"; }
kafka_install() {
  command -v java >/dev/null && command -v mvn >/dev/null || apt_install openjdk-17-jre-headless maven
  mkdir -p "$KAFKA_DIR"
  if [[ ! -f $KAFKA_DIR/lib/.kafka-$KAFKA_VERSION ]]; then
    log "kafka: fetching kafka_2.13:$KAFKA_VERSION jars (Maven, cached in ~/.m2)…"
    # reload4j is the slf4j binding Kafka 3.x ships with; logback (via zookeeper) is excluded.
    cat >"$KAFKA_DIR/pom.xml" <<EOF
<project><modelVersion>4.0.0</modelVersion><groupId>baton</groupId><artifactId>kafka-runtime</artifactId>
  <version>1</version><packaging>pom</packaging><dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version>
      <exclusions><exclusion><groupId>ch.qos.logback</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
</dependencies></project>
EOF
    rm -rf "$KAFKA_DIR/lib"
    mvn -q -B -f "$KAFKA_DIR/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$KAFKA_DIR/lib" >"$KAFKA_DIR/mvn.log" 2>&1 \
      || { tail -n 30 "$KAFKA_DIR/mvn.log" >&2; die "kafka: maven download failed"; }
    touch "$KAFKA_DIR/lib/.kafka-$KAFKA_VERSION"
  fi
  cat >"$KAFKA_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$KAFKA_LOG
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  # Written each time so port overrides apply; the cluster id and data survive.
  cat >"$KAFKA_DIR/server.properties" <<EOF
node.id=1
process.roles=broker,controller
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
# ACLs are enforced (the README's Kafka ACLs run against this): SCRAM users on the SASL listener are
# held to their ACLs, while the PLAINTEXT listener's clients (User:ANONYMOUS, every other suite,
# and the broker itself) are super users.
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS
allow.everyone.if.no.acl.found=false
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
log.dirs=$KAFKA_DIR/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# 1 partition (not 50) for the internal topics: first group/transaction use is ready much sooner.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
EOF
  if [[ ! -f $KAFKA_DIR/data/meta.properties ]]; then
    [[ -s $KAFKA_DIR/cluster.id ]] || "${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid >"$KAFKA_DIR/cluster.id"
    log "kafka: formatting storage (cluster $(cat "$KAFKA_DIR/cluster.id"))"
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster.id")" \
      -c "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/format.log" 2>&1 || { cat "$KAFKA_DIR/format.log" >&2; die "kafka: format failed"; }
  fi
}
kafka_ready() {
  port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null || return 1
  # When the project's kafkajs is installed, also require a real metadata answer.
  [[ -d $REPO/node_modules/kafkajs ]] || return 0
  (cd "$REPO" && timeout 10 node -e '
    const { Kafka, logLevel } = require("kafkajs");
    const a = new Kafka({ brokers: [process.argv[1]], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    a.connect().then(() => a.describeCluster()).then(() => a.disconnect()).then(() => process.exit(0), () => process.exit(1));
  ' "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1)
}
kafka_start() {
  kafka_running && return 0
  port_open "$KAFKA_PORT" && die "kafka: port $KAFKA_PORT is taken by another process"
  log "kafka: starting on 127.0.0.1:$KAFKA_PORT…"
  [[ -f $KAFKA_LOG ]] && mv -f "$KAFKA_LOG" "$KAFKA_LOG.1"   # readiness greps this start's log only
  # setsid: own session, so it survives the caller's process group. A background simple command
  # is not a group leader, so setsid execs without forking and $! is the JVM's pid.
  ( closefds; cd "$KAFKA_DIR"
    setsid "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" </dev/null >"$KAFKA_DIR/stdout.log" 2>&1 &
    echo $! >"$KAFKA_PID" )
  wait_for kafka "$KAFKA_LOG" "$KAFKA_PID" kafka_ready
  wait_for kafka "$KAFKA_LOG" "$KAFKA_PID" kafka_current
}
kafka_stop() {
  kafka_running || return 0
  log "kafka: stopping…"
  local pid; pid=$(head -n1 "$KAFKA_PID")
  kill -TERM "$pid" 2>/dev/null || true   # controlled shutdown
  await_exit "$pid"
  rm -f "$KAFKA_PID"
}

# Every test and benchmark run declares queues and topics of its own, so a long-lived broker piles
# them up and its restarts (which the broker contract tests do) get slower and slower: with ~1,200
# queues (and 1,024 file handles under runuser) a RabbitMQ restart took over 90 s. CI resets first.
rabbitmq_reset() { rabbitmq_stop; rm -rf "${RMQ_DIR:?}/mnesia"; install -d -o rabbitmq -g rabbitmq -m 750 "$RMQ_DIR/mnesia"; }
kafka_reset() { kafka_stop; rm -rf "${KAFKA_DIR:?}/data"; }   # kafka_install formats it again

# ---------------------------------------------------------------- chromium (a tool, not a server)
# Debian's build, for playwright-core; never a browser download. Fonts so screenshots show text.
chromium_running() { [[ -x /usr/bin/chromium ]] && dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q 'ok installed'; }
chromium_install() { apt_install chromium fonts-liberation; }
chromium_start() { /usr/bin/chromium --version >&2; }

# ---------------------------------------------------------------- dispatch
check_name() { [[ " ${ALL[*]} " == *" $1 "* ]] || die "unknown service '$1' (expected: ${ALL[*]})"; }
check_up_name() { [[ $1 == chromium ]] || check_name "$1"; }
stop_svc() {
  "$1_stop"
  local port deadline=$((SECONDS + 10))
  case $1 in postgres) port=$PG_PORT ;; rabbitmq) port=$RABBITMQ_PORT ;; kafka) port=$KAFKA_PORT ;; esac
  while port_open "$port"; do ((SECONDS < deadline)) || die "$1: port $port still open after stop"; sleep 0.1; done
  log "$1: stopped"
}
lock() { mkdir -p "$DIR"; exec 9>"$DIR/.lock"; flock 9; }   # serialise concurrent callers

cmd=${1:-}; shift || true
case $cmd in
  up)
    lock; (($#)) || set -- "${ALL[@]}"
    for s in "$@"; do
      check_up_name "$s"
      if [[ $s == kafka ]] && kafka_running && ! kafka_current; then log "kafka: no SASL listener yet, restarting with it"; stop_svc kafka; fi
      "${s}_running" && continue; "${s}_install"; "${s}_start"; log "$s: up"
    done ;;
  start | stop | restart)
    (($# == 1)) || die "usage: $0 $cmd NAME"; check_name "$1"; lock
    [[ $cmd == start ]] || stop_svc "$1"
    if [[ $cmd != stop ]]; then "$1_install"; "$1_start"; log "$1: up"; fi ;;
  freeze | thaw)
    [[ $# == 1 && $1 == postgres ]] || die "usage: $0 $cmd postgres"
    if [[ $cmd == freeze ]]; then postgres_signal STOP; log "postgres: frozen"; else postgres_signal CONT; log "postgres: thawed"; fi ;;
  reset)
    lock; (($#)) || set -- rabbitmq kafka
    for s in "$@"; do
      [[ $s == rabbitmq || $s == kafka ]] || die "reset: only rabbitmq and kafka (not '$s')"
      "${s}_reset"; log "$s: reset (empty until the next up/start)"
    done ;;
  status)
    for s in "${ALL[@]}"; do if "${s}_running"; then echo "$s: up"; else echo "$s: down"; fi; done ;;
  env)
    echo "export DATABASE_URL=postgres://baton:baton@127.0.0.1:$PG_PORT/baton"
    echo "export RABBITMQ_URL=amqp://baton:baton@127.0.0.1:$RABBITMQ_PORT"
    echo "export KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
    echo "export KAFKA_SASL_BROKERS=127.0.0.1:$KAFKA_SASL_PORT" ;;
  rabbitmqctl) rmq rabbitmqctl "$@" ;;
  # Kafka's own kafka-acls.sh and kafka-configs.sh are these classes; give them --bootstrap-server.
  kafka-acls) kafka_tool kafka.admin.AclCommand "$@" ;;
  kafka-configs) kafka_tool kafka.admin.ConfigCommand "$@" ;;
  *) sed -n '2,8p' "$SELF" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
