# Aula: `make run` serves it, `make test` tests it. Both start a local
# PostgreSQL when none answers on 127.0.0.1:5432 (see scripts/postgres.sh).
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run test build check vet lint fmt bench bench-go load fuzz deps db clean

## run: serve Aula on http://127.0.0.1:8080 with demo content
# The binary is built, then exec'd: Ctrl-C reaches aula itself, which
# shuts down cleanly and exits 0, so make reports no error (`go run` in
# between exits 1 on an interrupt whatever its child did). No load
# balancer watches /readyz here, so there is no drain period to wait.
run: db build
	AULA_DEMO=$${AULA_DEMO:-1} AULA_SHUTDOWN_DRAIN=$${AULA_SHUTDOWN_DRAIN:-0s} exec bin/aula serve

## test: every test (race detector on), against a real PostgreSQL, PDFs and a headless browser
test: db deps
	$(GO) test -race -count=1 -shuffle=on ./...

## build: the binary in bin/aula
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/aula ./cmd/aula

## check: formatting, vet and staticcheck
check: vet lint
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

vet:
	$(GO) vet ./...

lint:
	$(GO) run $(STATICCHECK) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: one run measuring Aula (main and the working tree) and the ceilings beside it; writes bench/results.md
bench: db
	./scripts/bench.sh 5 16 main

## bench-go: the Go benchmarks (catalogue search, bulk enrolment, certificates, quiz submissions)
bench-go: db deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

## load: wrk against the real binary with demo content (numbers for the notes)
load:
	./scripts/load.sh 10 32

## fuzz: one minute of fuzzing the quiz answer decoder and grader
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzDecodeAndGrade -fuzztime 60s ./assessment/

## deps: what the tests use: pdftotext, pdftoppm, xmllint, chromium, nginx, PostgreSQL binaries, versitygw
deps:
	./scripts/deps.sh

## db: a PostgreSQL on 127.0.0.1:5432 (starts a project-local one if needed)
db:
	./scripts/postgres.sh ensure

clean:
	./scripts/postgres.sh stop || true
	rm -rf bin
