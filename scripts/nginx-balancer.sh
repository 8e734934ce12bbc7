#!/usr/bin/env bash
# nginx in front of aimoviez nodes, in the foreground: round robin, WebSocket upgrades passed
# through, request bodies streamed, a node that stopped answering skipped. Used by `make cluster`
# (scripts/run-cluster.sh) and by the HTTP suite's cluster pass (tests/http/cluster_server.mjs).
#   scripts/nginx-balancer.sh DIR LISTEN NODE_ADDRESS...    (DIR: its config, logs and temp files)
# X-Forwarded-For is set to the peer's address (a client cannot choose the address the nodes see);
# NGINX_FORWARDED_FOR=append keeps what the client sent and adds the peer, for a proxy behind
# another one (the nodes then trust only what their trusted_proxies allow).
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 DIR LISTEN NODE_ADDRESS..." >&2
  exit 2
fi
dir=$1 listen=$2
shift 2
forwarded_for='$remote_addr'
[[ ${NGINX_FORWARDED_FOR:-} == append ]] && forwarded_for='$proxy_add_x_forwarded_for'
upstreams=""
for address in "$@"; do upstreams+="    server $address max_fails=1 fail_timeout=5s;"$'\n'; done

# nginx runs its workers as nobody when started as root: its temporary files must be theirs.
mkdir -p "$dir/temp"
[[ $(id -u) -eq 0 ]] && chown nobody "$dir/temp"
cat >"$dir/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
$([[ $(id -u) -eq 0 ]] && echo "user nobody nogroup;")
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  # The nodes enforce the upload limit; nginx only keeps bodies from being cut short before it.
  client_max_body_size 200m;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  upstream aimoviez {
$upstreams    keepalive 64;
  }
  server {
    listen $listen;
    location / {
      proxy_pass http://aimoviez;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header X-Forwarded-For $forwarded_for;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 1h;
      # A request a node could not answer (it stopped) is tried on the next one, except a
      # vote or another write, which is answered 502 rather than applied twice.
      proxy_next_upstream error timeout;
    }
  }
}
NGINX
exec nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
