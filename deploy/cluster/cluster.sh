#!/usr/bin/env bash
# The scaled-out topology on this machine: 2 command nodes, 2 query nodes, nginx as the ingress
# (routing by path, hashing commands by event id: nginx.conf.template), one PostgreSQL, and, when
# no STRIPE_SECRET_KEY is set, the Stripe stand-in. For people and for the cluster tests.
#
#   deploy/cluster/cluster.sh start            build first: mvn -B -q package -DskipTests
#   deploy/cluster/cluster.sh status | stop
#   deploy/cluster/cluster.sh kill NODE        SIGKILL (command-1, command-2, query-1, query-2)
#   deploy/cluster/cluster.sh stop-node NODE   SIGTERM: a graceful stop
#   deploy/cluster/cluster.sh start-node NODE  (re)start one node and wait until it is ready
#
# Settings (environment): SPRING_DATASOURCE_URL / _USERNAME / _PASSWORD (default: the test
# database on 127.0.0.1), INGRESS_PORT (8088), COMMAND_PORTS ("8181 8182"), QUERY_PORTS
# ("8281 8282"), STRIPE_PORT (8099), CLUSTER_DIR (deploy/target/cluster: pids and logs),
# TICKETING_SECURITY_JWT_HMAC_SECRET, NODE_JAVA_OPTS (-Xmx384m).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$ROOT/deploy/target/cluster}"
INGRESS_PORT="${INGRESS_PORT:-8088}"
read -r -a COMMAND_PORTS <<< "${COMMAND_PORTS:-8181 8182}"
read -r -a QUERY_PORTS <<< "${QUERY_PORTS:-8281 8282}"
STRIPE_PORT="${STRIPE_PORT:-8099}"
NODE_JAVA_OPTS="${NODE_JAVA_OPTS:--Xmx384m}"
COMMAND_JAR="$ROOT/command-side/target/command-side-0.1.0-SNAPSHOT-exec.jar"
QUERY_JAR="$ROOT/query-side/target/query-side-0.1.0-SNAPSHOT-exec.jar"
STANDALONE_JAR="$ROOT/deploy/target/ticketing-standalone.jar"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"   # Debian installs it under /usr/sbin
READY_WITHIN=180   # seconds; four JVMs starting at once on two cores take a minute

export SPRING_DATASOURCE_URL="${SPRING_DATASOURCE_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
export SPRING_DATASOURCE_USERNAME="${SPRING_DATASOURCE_USERNAME:-postgres}"
export SPRING_DATASOURCE_PASSWORD="${SPRING_DATASOURCE_PASSWORD:-}"
export TICKETING_SECURITY_JWT_HMAC_SECRET="${TICKETING_SECURITY_JWT_HMAC_SECRET:-local-cluster-secret-change-me-0123456789}"
export TICKETING_SECURITY_DEV_TOKENS_ENABLED="${TICKETING_SECURITY_DEV_TOKENS_ENABLED:-true}"
# the query nodes of this cluster count each other by this name (ProcessorClaimBalancer)
export TICKETING_PROCESSING_GROUP="${TICKETING_PROCESSING_GROUP:-ticketing-query-$INGRESS_PORT}"
if [ -z "${STRIPE_SECRET_KEY:-}" ]; then
  STANDIN=1
  export STRIPE_SECRET_KEY=sk_test_cluster STRIPE_PUBLISHABLE_KEY=pk_test_cluster STRIPE_WEBHOOK_SECRET=whsec_cluster
  export STRIPE_API_BASE="http://127.0.0.1:$STRIPE_PORT/stripe-emulator"
else
  STANDIN=0
fi

log() { echo "[cluster] $*"; }

port_of() {
  case "$1" in
    command-[0-9]*) echo "${COMMAND_PORTS[$((${1#command-} - 1))]}" ;;
    query-[0-9]*) echo "${QUERY_PORTS[$((${1#query-} - 1))]}" ;;
    stripe) echo "$STRIPE_PORT" ;;
    *) echo "unknown node $1" >&2; return 1 ;;
  esac
}

nodes() {
  local i
  for i in "${!COMMAND_PORTS[@]}"; do echo "command-$((i + 1))"; done
  for i in "${!QUERY_PORTS[@]}"; do echo "query-$((i + 1))"; done
}

pid_of() { cat "$CLUSTER_DIR/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

launch() {
  local node="$1" port
  port="$(port_of "$node")"
  if alive "$node"; then log "$node is running already"; return; fi
  case "$node" in
    command-*) SERVER_PORT="$port" nohup java $NODE_JAVA_OPTS -jar "$COMMAND_JAR" >> "$CLUSTER_DIR/$node.log" 2>&1 & ;;
    query-*) SERVER_PORT="$port" nohup java $NODE_JAVA_OPTS -jar "$QUERY_JAR" >> "$CLUSTER_DIR/$node.log" 2>&1 & ;;
    stripe) SERVER_PORT="$port" \
      TICKETING_STRIPE_STANDIN_WEBHOOK_URL="http://127.0.0.1:$INGRESS_PORT/api/v1/stripe/webhook" \
      TICKETING_STRIPE_STANDIN_WEBHOOK_SECRET="$STRIPE_WEBHOOK_SECRET" \
      nohup java -Xmx256m -cp "$STANDALONE_JAR" -Dloader.main=dev.ticketing.stripestandin.StripeStandinApplication \
        org.springframework.boot.loader.launch.PropertiesLauncher >> "$CLUSTER_DIR/$node.log" 2>&1 & ;;
  esac
  echo $! > "$CLUSTER_DIR/$node.pid"
  log "$node started on port $port (pid $!, log $CLUSTER_DIR/$node.log)"
}

await_ready() {
  local node="$1" port url waited=0
  port="$(port_of "$node")"
  url="http://127.0.0.1:$port/actuator/health/readiness"
  [ "$node" = stripe ] && url="http://127.0.0.1:$port/stripe-emulator/v1/events"
  until curl -s -o /dev/null -w '%{http_code}' "$url" | grep -qE '^(200|401)$'; do
    if ! alive "$node"; then log "$node died while starting; its log:"; tail -40 "$CLUSTER_DIR/$node.log"; return 1; fi
    if [ "$waited" -ge "$READY_WITHIN" ]; then log "$node not ready after ${READY_WITHIN}s"; return 1; fi
    sleep 1; waited=$((waited + 1))
  done
  log "$node ready"
}

server_lines() {
  local port
  for port in "$@"; do
    # max_fails=0: a node is never marked down, so an event's commands stay on their node; a request
    # that cannot connect goes on to the next node (proxy_next_upstream), and back once it is up
    printf '        server 127.0.0.1:%s max_fails=0;\n' "$port"
  done
}

start_nginx() {
  if alive nginx; then return; fi
  RUN_DIR="$CLUSTER_DIR" NGINX_ERROR_LOG="$CLUSTER_DIR/nginx-error.log" INGRESS_LISTEN="127.0.0.1:$INGRESS_PORT" STATIC_DIR="$ROOT/deploy/src/main/resources/static" \
    COMMAND_SERVERS="$(server_lines "${COMMAND_PORTS[@]}")" QUERY_SERVERS="$(server_lines "${QUERY_PORTS[@]}")" \
    envsubst '${RUN_DIR} ${NGINX_ERROR_LOG} ${INGRESS_LISTEN} ${STATIC_DIR} ${COMMAND_SERVERS} ${QUERY_SERVERS}' \
    < "$HERE/nginx.conf.template" > "$CLUSTER_DIR/nginx.conf"
  "$NGINX" -t -q -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -g 'daemon off;'
  nohup "$NGINX" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -g 'daemon off;' >> "$CLUSTER_DIR/nginx.log" 2>&1 &
  echo $! > "$CLUSTER_DIR/nginx.pid"
  local waited=0
  until curl -s -o /dev/null "http://127.0.0.1:$INGRESS_PORT/api/v1/events"; do
    [ "$waited" -ge 20 ] && { log "nginx did not start; see $CLUSTER_DIR/nginx-error.log"; return 1; }
    sleep 0.5; waited=$((waited + 1))
  done
  log "ingress on http://127.0.0.1:$INGRESS_PORT (pages at /, API at /api)"
}

stop_node() {
  local node="$1" pid waited=0
  pid="$(pid_of "$node")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$CLUSTER_DIR/$node.pid"; return; fi
  kill -TERM "$pid"
  # graceful: in-flight requests finish, processors release their claims (Spring waits up to 30 s)
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 60 ]; then kill -KILL "$pid"; log "$node did not stop in 60 s: killed"; break; fi
    sleep 0.5; waited=$((waited + 1))
  done
  rm -f "$CLUSTER_DIR/$node.pid"
  log "$node stopped"
}

case "${1:-}" in
  start)
    for jar in "$COMMAND_JAR" "$QUERY_JAR" "$STANDALONE_JAR"; do
      [ -f "$jar" ] || { echo "Missing $jar: build first with mvn -B -q package -DskipTests" >&2; exit 1; }
    done
    [ -x "$NGINX" ] || { echo "nginx is missing: apt-get install nginx-light (or nginx)" >&2; exit 1; }
    mkdir -p "$CLUSTER_DIR"
    [ "$STANDIN" = 1 ] && launch stripe
    # one node first: it migrates the schema (Flyway) while the others would only wait for its lock
    first="$(nodes | head -1)"
    launch "$first"; await_ready "$first"
    for node in $(nodes | tail -n +2); do launch "$node"; done
    for node in $(nodes | tail -n +2); do await_ready "$node"; done
    [ "$STANDIN" = 1 ] && await_ready stripe
    start_nginx
    ;;
  stop)
    stop_node nginx 2>/dev/null || true
    for node in $(nodes) stripe; do stop_node "$node"; done
    ;;
  status)
    for node in $(nodes) stripe nginx; do
      if alive "$node"; then echo "$node up (pid $(pid_of "$node"))"; else echo "$node down"; fi
    done
    ;;
  kill)
    pid="$(pid_of "${2:?node}")"
    [ -n "$pid" ] && kill -KILL "$pid" && log "$2 killed (SIGKILL)"
    rm -f "$CLUSTER_DIR/$2.pid"
    ;;
  stop-node) stop_node "${2:?node}" ;;
  start-node) port_of "${2:?node}" > /dev/null; launch "$2"; await_ready "$2" ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
