#!/usr/bin/env bash
# Installs and starts the system pieces the test suite talks to for real: Chromium (browser
# tests), dovecot (IMAP), PostgreSQL and Redis servers. Safe to run again; skips what is present.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need[*]}"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
      || echo "warning: could not install ${need[*]}; the tests that need them will be skipped"
  else
    echo "warning: missing ${need[*]} and not root; the tests that need them will be skipped"
  fi
fi
# Start PostgreSQL and Redis when installed but not running.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
  fi
fi
if command -v redis-server >/dev/null 2>&1 && ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1); then
  mkdir -p /tmp/accord-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/accord-redis --logfile /tmp/accord-redis/redis.log >/dev/null 2>&1 || true
fi
exit 0
