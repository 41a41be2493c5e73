# CityData — the two commands that matter: `make demo` (run the platform) and `make test`.
.PHONY: help deps build test demo up down logs status bench-kafka bench-schema bench-ingest clean

help:
	@echo "make test         install what is missing, start the test servers, run every test"
	@echo "make demo         run the whole platform locally and load the real data through the public APIs"
	@echo "make up / down    start / stop the local stack in the background (writes .dev/stack.env)"
	@echo "make logs/status  follow the services' logs / show each service's readiness"
	@echo "make bench-kafka  producer and consumer throughput against kcat (docs/benchmarks.md)"
	@echo "make bench-schema message-schema encode+decode round trips per second"
	@echo "make bench-ingest ingest's accepted records/s against kcat, archive against COPY (docs/benchmarks.md)"

deps:
	bash Tools/stack/install-deps.sh

build: deps
	swift build --build-tests

test:
	bash Tools/stack/test.sh

bench-kafka: deps
	bash Tools/bench/kafka-bench.sh

bench-ingest: deps
	bash Tools/bench/ingest-bench.sh

bench-schema:
	swift build -c release --product schema-bench
	.build/release/schema-bench

up:
	bash Tools/stack/stack.sh up

down:
	bash Tools/stack/stack.sh down

logs:
	bash Tools/stack/stack.sh logs

status:
	bash Tools/stack/stack.sh status

demo:
	bash Tools/stack/stack.sh up
	python3 Tools/demo/load_real_data.py --env .dev/stack.env --data deploy/demo/data/iqair-vn-2025

clean:
	bash Tools/stack/stack.sh down || true
	rm -rf .dev

# `make topics ARGS="lag indicators.observations"`: the topic tool (docs/topics.md).
topics:
	@swift build --product citytopics >&2 && .build/debug/citytopics $(ARGS)
