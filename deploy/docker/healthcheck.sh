#!/bin/bash
# Docker HEALTHCHECK of the CityData image: healthy when the service's GET /health/ready answers 200.
# Uses bash's /dev/tcp, so the image needs no HTTP client. Containers that run a tool instead of a
# service (CITYDATA_SERVICE unset) report healthy: they are one-shot jobs without an HTTP port.
set -u

case "${CITYDATA_SERVICE:-}" in
    ingest) default_port=8081 ;;
    catalog) default_port=8082 ;;
    indicators) default_port=8083 ;;
    notifications) default_port=8084 ;;
    *) exit 0 ;;
esac
port="${HTTP_PORT:-$default_port}"

exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS=' ' read -r -t 3 _ status _ <&3 || exit 1
exec 3<&-
[ "$status" = "200" ]
