#!/bin/sh
# Entrypoint of the CityData image: runs one of its programs, replacing this shell (exec), so that
# the program is PID 1 and receives SIGTERM itself.
#
#   citydata                       runs $CITYDATA_SERVICE (ingest, catalog, indicators, notifications)
#   citydata PROGRAM [ARGS...]     runs PROGRAM, one of the services or citydata-admin, citytopics
set -eu

usage() {
    echo "citydata: set CITYDATA_SERVICE to ingest, catalog, indicators or notifications," >&2
    echo "          or pass a program: ingest catalog indicators notifications citydata-admin citytopics" >&2
    exit 64
}

program="${1:-${CITYDATA_SERVICE:-}}"
[ $# -gt 0 ] && shift
case "$program" in
    ingest|catalog|indicators|notifications|citydata-admin|citytopics) ;;
    "") usage ;;
    *) echo "citydata: unknown program \"$program\"" >&2; usage ;;
esac
exec "/usr/local/bin/$program" "$@"
