# The front door of the kit. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# Maven from the repository root: the top-level pom builds the span-profile extension, then the service.
MVNW := service/mvnw -B $(if $(CI),-ntp,)
JAR := service/target/workshop-service-1.0.0.jar
PORT ?= 8080
# make run / run-bare listen on loopback only, like the stack's ports; HOST=0.0.0.0 opens them to the network.
HOST ?= 127.0.0.1

# What the jar is built from: run, run-bare and load build it only when one of these is newer.
# The benchmark runs from the test classes too, so it also depends on the test sources.
BUILD_INPUTS := pom.xml extension/pom.xml service/pom.xml service/.mvn/wrapper/maven-wrapper.properties \
	$(shell find extension/src service/src/main -type f 2>/dev/null)
TEST_INPUTS := $(shell find service/src/test -type f 2>/dev/null)

.PHONY: help
# Colour only on a terminal (and not with NO_COLOR set); the name column fits the longest name.
help: ## List the targets
	@if [ -t 1 ] && [ -z "$${NO_COLOR:-}" ]; then on=$$'\033[36m' off=$$'\033[0m'; else on= off=; fi; \
	awk -v on="$$on" -v off="$$off" 'BEGIN {FS = ":.*## "} \
	  /^[a-zA-Z0-9_-]+:.*## / {n++; name[n] = $$1; text[n] = $$2; if (length($$1) > width) width = length($$1)} \
	  END {for (i = 1; i <= n; i++) printf "  %s%-" width "s%s  %s\n", on, name[i], off, text[i]}' $(MAKEFILE_LIST)

.PHONY: up down clean logs ps check
up: ## Build and start the stack (needs Docker), wait until healthy, print the URLs
	@scripts/stack.sh up

down: ## Stop the stack; its data is kept for the next 'make up'
	@scripts/stack.sh down

clean: ## Stop the stack and delete its data (volumes)
	@scripts/stack.sh clean

logs: ## Follow the stack's logs (S=grafana for one service)
	@scripts/stack.sh logs $(S)

ps: ## List the stack's containers and their health
	@scripts/stack.sh ps

check: ## Check the running stack over HTTP, signal by signal (SERVICE_NAME=... checks a service of your own; PORT= the service's)
	@SERVICE_URL=$${SERVICE_URL:-http://localhost:$(PORT)} scripts/check-stack.sh

SCENARIO ?= mixed
DURATION ?= 2m
URL ?= http://127.0.0.1:$(PORT)

.PHONY: load traffic upgrade downgrade
load: $(JAR) ## Send workshop traffic from this machine: SCENARIO=mixed|cpu|cached|uncached|io|alloc|lock|spike|health DURATION=2m [RATE=20|CONCURRENCY=4] [URL=...]
	@$(JAR_COPY) java -cp "$$jar" io.profilingkit.workshop.loadgen.LoadGenerator --url $(URL) --scenario $(SCENARIO) --duration $(DURATION) $(if $(RATE),--rate $(RATE)) $(if $(CONCURRENCY),--concurrency $(CONCURRENCY)) $(JAR_REMOVE) $(STOPPED_OK)

traffic: ## Switch the stack's own load generator to SCENARIO (default mixed)
	@scripts/stack.sh traffic $(SCENARIO)

upgrade: ## Deploy version 1.1.0 of the service in the stack (primes by sieve) and print a diff-view link
	@scripts/stack.sh upgrade

downgrade: ## Go back to version 1.0.0 (slow primes) and print a diff-view link
	@scripts/stack.sh downgrade

# The browser walk of the click path (e2e/, docs/stack.md "make e2e"). e2e runs it in Playwright's
# image against the running stack; e2e-check needs only Node.js and npm: it installs the locked
# packages (no browser) and type-checks the walk and lists its steps.
# The span-profile extension as an image for the OpenTelemetry Operator (deploy/, docs/kubernetes.md).
EXTENSION_IMAGE ?= $(shell sed -n 's/^SPAN_PROFILES_EXTENSION_IMAGE=//p' .env)
.PHONY: extension-image
extension-image: ## Build the extension's image for Kubernetes (Docker; EXTENSION_IMAGE=<registry>/span-profiles-extension:1.0.0 to name it)
	@command -v docker >/dev/null 2>&1 || { echo "extension-image: needs Docker, which is not installed (no docker command on the PATH)" >&2; exit 1; }
	@docker info >/dev/null 2>&1 || { echo "extension-image: needs Docker: the engine does not answer (docker info)" >&2; exit 1; }
	DOCKER_BUILDKIT=1 docker build -f deploy/extension-image/Dockerfile -t $(EXTENSION_IMAGE) .

.PHONY: e2e e2e-check
e2e: ## Walk the click path in a browser against the running stack (make up first); e2e/results/
	@scripts/e2e.sh

e2e-check: ## Type-check the browser walk and list its steps (npm ci in e2e/, no browser, no Docker)
	cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error && npx tsc --noEmit && npx playwright test --list --reporter=list

.PHONY: build
build: ## Build the service jar
	$(MVNW) -q package -DskipTests

# Maven leaves an up-to-date jar untouched: touch it so that make sees it as newer than its inputs.
$(JAR): $(BUILD_INPUTS)
	$(MVNW) -q package -DskipTests
	@touch $@

.PHONY: test
test: ## Run every test (unit, HTTP, and the checks that need no Docker)
	$(MVNW) verify

.PHONY: test-under-load
test-under-load: ## make test RUNS=3 times from fresh clones of HEAD, with BURNERS=2 CPU-bound processes beside it
	scripts/test-under-load.sh

# A service stopped with Ctrl-C (130) or SIGTERM (143) stopped as asked: no make error for it.
STOPPED_OK = ; rc=$$?; case $$rc in 130|143) exit 0 ;; esac; exit $$rc
# run, run-bare and load run a copy of the jar, removed when they end: another make target that
# rebuilds the jar meanwhile (after an edit) would otherwise replace the file under a running JVM,
# which then fails on the next class it loads (seen: NoClassDefFoundError in Netty's accept path).
JAR_COPY = jar=$$(mktemp "$${TMPDIR:-/tmp}/workshop-service.XXXXXX") && cp $(JAR) "$$jar" &&
JAR_REMOVE = ; rc=$$?; rm -f "$$jar"; (exit $$rc)

.PHONY: run
run: $(JAR) ## Run the service locally with its agents on http://127.0.0.1:8080 (PORT=..., HOST=0.0.0.0 for all interfaces)
	@$(JAR_COPY) SERVICE_JAR="$$jar" service/run-instrumented.sh -micronaut.server.host=$(HOST) -micronaut.server.port=$(PORT) $(JAR_REMOVE) $(STOPPED_OK)

# Your own service with the kit's agents and settings (docs/own-service.md, "Instrument your own service"):
#   make instrument SERVICE_NAME=checkout APP_JAR=path/to/app.jar [APP_ENV=prod APP_VERSION=1.4.2] [TELEMETRY_PRESET=production] [APP_ARGS="..."]
#   make instrument SERVICE_NAME=checkout APP_MAIN=com.example.Main APP_CP='app.jar:lib/*'
#   make instrument SERVICE_NAME=checkout APP_CMD="java -Xmx512m -jar app.jar --server.port=8081"
# Endpoints and credentials: the launcher's environment variables (OTEL_EXPORTER_OTLP_*, PYROSCOPE_*).
.PHONY: instrument instrument-args
# It builds the kit only when a source changed. Before your service's own output it prints the
# launcher's line and the JVM's "1 compiler directives added" (the kit's JIT setting for the agent's
# start-up code; AGENT_JIT_DIRECTIVES=off leaves it out); AGENT_LOG=verbose adds what the agents say.
# The values reach the launcher through the environment ("$$SERVICE_NAME": make puts variables given
# on its command line or found in the environment there by itself), never pasted into the shell's
# text: a quote in one is passed on as it is. APP_ARGS and APP_CMD are split on spaces. No `export`
# line: it would also hand every other target, `make test` included, these names set to nothing
# (seen: the tests' service then had empty service_name, env and version tags).
LAUNCHER ?= service/run-instrumented.sh
instrument: instrument-args $(JAR) ## Run your own JVM service with the agents: SERVICE_NAME= and APP_JAR= (or APP_MAIN= APP_CP=, or APP_CMD=)
	@$(LAUNCHER) --name "$$SERVICE_NAME" $(if $(APP_ENV),--env "$$APP_ENV") $(if $(APP_VERSION),--version "$$APP_VERSION") \
		$(if $(TELEMETRY_PRESET),--preset "$$TELEMETRY_PRESET") \
		$(if $(APP_JAR),--jar "$$APP_JAR",$(if $(APP_MAIN),--main "$$APP_MAIN" --cp "$$APP_CP",-- $$APP_CMD)) $$APP_ARGS $(STOPPED_OK)

instrument-args:
	@test -n "$(SERVICE_NAME)" || { echo "make instrument: give SERVICE_NAME=<name> and APP_JAR=, APP_MAIN= and APP_CP=, or APP_CMD=" >&2; exit 2; }
	@test -n "$(APP_JAR)$(APP_MAIN)$(APP_CMD)" || { echo "make instrument: give APP_JAR=, APP_MAIN= and APP_CP=, or APP_CMD=" >&2; exit 2; }

.PHONY: run-bare
run-bare: $(JAR) ## Run the service locally without any agent
	@$(JAR_COPY) java -jar "$$jar" -micronaut.server.host=$(HOST) -micronaut.server.port=$(PORT) $(JAR_REMOVE) $(STOPPED_OK)

# The overhead benchmark runs from the test classes (it drives the service through the test
# sinks); BENCH_ARGS adds options, e.g. BENCH_ARGS="--rounds 5" (see bench/README.md). Its class
# path is written by the same Maven run that builds the jar and the test classes, only when an
# input changed.
BENCH_CLASSPATH := service/target/bench.classpath
$(BENCH_CLASSPATH): $(BUILD_INPUTS) $(TEST_INPUTS)
	$(MVNW) -q -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
	  -Dmdep.outputFile=target/bench.classpath
	@touch $@ $(JAR)
BENCH := cd service && java -cp target/test-classes:target/classes:$$(cat target/bench.classpath) \
	io.profilingkit.workshop.bench.OverheadBench

.PHONY: bench bench-quick bench-virtual
bench: $(BENCH_CLASSPATH) ## What the instrumentation costs: bare vs each agent vs full vs production, 3 rounds, idle CPU too (about 18 min); writes bench/
	$(BENCH) full $(BENCH_ARGS)

bench-quick: $(BENCH_CLASSPATH) ## The benchmark's quick mode: bare vs full, 2 short rounds (about 2-3 min), indicative only
	$(BENCH) quick $(BENCH_ARGS)

bench-virtual: $(BENCH_CLASSPATH) ## What the virtual-thread hook costs: the demo on virtual threads with the hook on and off, and bare, 3 rounds (about 8 min)
	$(BENCH) full --configs bare,virtual,virtual-no-hook $(BENCH_ARGS)
