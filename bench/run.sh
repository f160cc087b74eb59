#!/usr/bin/env bash
# Load test of the four workloads of the "Fast" issue, side by side with
# nginx serving saved copies of the same pages as static files.
#   W1 GET a ~1,000-word post with 100 threaded comments
#   W2 GET the home page
#   W3 POST comments through the real form (SQLite, durable), 16 connections
#   W4 GET /feed/
# Needs wrk and nginx (apt-get install -y wrk nginx-light). Writes a table.
# Usage: bench/run.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }
command -v nginx >/dev/null || { echo "install nginx: apt-get install -y nginx-light" >&2; exit 1; }
work=$(mktemp -d)
# nginx's workers run as nobody: mktemp's 0700 directory would make every
# static request a 403, and the comparison meaningless.
chmod 755 "$work"
cleanup() {
  # set -e would abandon a trap at its first failing command: none may fail.
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/marquee" ./cmd/marquee
read -r POST_PATH POST_ID < <(go run ./bench/seed -db "$work/bench.db")
M=127.0.0.1:18700; N=127.0.0.1:18701
MARQUEE_DEMO=false "$work/marquee" serve -db "$work/bench.db" -addr $M -trusted-proxies 127.0.0.1/32 \
  -comment-every=-1s -log-level error >"$work/serve.log" 2>&1 &
MPID=$!
for _ in $(seq 50); do curl -fs "http://$M/healthz" >/dev/null && break; sleep 0.1; done

# Static copies for nginx.
mkdir -p "$work/www/post" "$work/www/feed"
curl -fs "http://$M$POST_PATH" -o "$work/www/post/index.html"
# What a browser gets (Accept-Encoding: gzip), for nginx's gzip_static.
curl -fs -H 'Accept-Encoding: gzip' "http://$M$POST_PATH" -o "$work/www/post/index.html.gz"
curl -fs "http://$M/" -o "$work/www/index.html"
curl -fs "http://$M/feed/" -o "$work/www/feed/index.xml"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  types { text/html html; application/rss+xml xml; }
  gzip_static on;
  server { listen $N; root $work/www; index index.html index.xml; }
}
CONF
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do curl -fs "http://$N/" >/dev/null && break; sleep 0.1; done

# Both servers must answer 200 with the same bytes, or the ratio means nothing.
for pair in "$POST_PATH /post/" "/ /" "/feed/ /feed/"; do
  set -- $pair
  a=$(curl -fs "http://$M$1" | wc -c); b=$(curl -fs "http://$N$2" | wc -c)
  if [ "$a" -eq 0 ] || [ "$b" -eq 0 ] || [ $((a > b ? a - b : b - a)) -gt 200 ]; then
    echo "bench: $1 is $a bytes from Marquee but $2 is $b bytes from nginx" >&2; exit 1
  fi
done

for u in "http://$M$POST_PATH" "http://$N/post/"; do
  curl -fs -o /dev/null -D - -H 'Accept-Encoding: gzip' "$u" | grep -qi '^content-encoding: gzip' || { echo "bench: $u is not sent gzipped" >&2; exit 1; }
done

latency() { awk '$1=="50%"{p50=$2} $1=="99%"{p99=$2} /Requests\/sec/{rps=$2} END{printf "%s %s %s", rps, p50, p99}'; }
# load URL CONNS [HEADER]: one wrk run; refuses to report a run with any error status.
load() {
  local out
  out=$(wrk -t2 -c"$2" -d"${DUR}s" --latency ${3:+-H "$3"} "$1")
  if grep -q 'Non-2xx' <<<"$out"; then echo "bench: error responses from $1:" >&2; echo "$out" >&2; exit 1; fi
  latency <<<"$out"
}
row() { # name url conns nginx-url [header]
  local m n
  m=$(load "http://$M$2" "$3" "${5:-}")
  n=$(load "http://$N$4" "$3" "${5:-}")
  set -- "$1" "$3" $m $n
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %.0f%% |\n" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$(echo "$3 / $6 * 100" | bc -l)"
}
echo
echo "| workload | conns | Marquee req/s | p50 | p99 | nginx-static req/s | p50 | p99 | ratio |"
echo "|---|---|---|---|---|---|---|---|---|"
for c in 16 64; do
  row "W1 post + 100 comments" "$POST_PATH" $c /post/
  row "W2 home" / $c /
  row "W4 /feed/" /feed/ $c /feed/
done
# As browsers ask: both send the page gzipped (Marquee compressed it once
# when caching it; nginx sends its saved .gz copy).
for c in 16 64; do
  row "W1 gzip" "$POST_PATH" $c /post/ "Accept-Encoding: gzip"
done
TOKEN=$(curl -fs "http://$M$POST_PATH" | grep -o 'name="token" value="[^"]*"' | sed 's/.*value="//;s/"$//')
before=$(sqlite3 "$work/bench.db" "select count(*) from comments" 2>/dev/null || echo "?")
w3=$(POST_ID=$POST_ID TOKEN=$TOKEN wrk -t2 -c16 -d"${DUR}s" --latency -s bench/w3.lua "http://$M" | tee "$work/w3.txt" | latency)
non2xx=$(awk '/Non-2xx or 3xx/{print $5}' "$work/w3.txt"); non2xx=${non2xx:-0}
echo "| W3 comment POST (SQLite, durable) | 16 | $(echo $w3 | awk '{print $1, "|", $2, "|", $3}') | – | – | – | non-2xx/3xx: $non2xx |"
echo
echo "Marquee peak resident memory: $(awk '/VmHWM/{print $2, $3}' /proc/$MPID/status)"
kill $MPID; wait $MPID 2>/dev/null || true
if command -v sqlite3 >/dev/null; then
  echo "Comments stored after W3: $(sqlite3 "$work/bench.db" 'select count(*) from comments') (before: $before)"
fi
