# The two commands of the README: `make run` (set up, open the app) and `make test` (set up, run
# every test offscreen). Everything else is a helper of these.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test wheel-check demo lint typecheck check sysdeps sysdeps-test report-preview bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

sysdeps:
	bash tools/system-deps.sh runtime

sysdeps-test:
	bash tools/system-deps.sh test

run: sysdeps $(STAMP)
	$(BIN)/pia-app gui

test: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	$(BIN)/ruff check pia_app tests benchmarks tools setup.py
	$(BIN)/ruff format --check pia_app tests benchmarks tools setup.py
	$(BIN)/mypy
	$(BIN)/python tools/check_dist.py

# The sdist and the wheel built, the wheel installed in a fresh venv outside the checkout and tried
# there (demo, grade, forms check, self-test) as a user who never cloned the repo (~25 s).
wheel-check: $(STAMP)
	$(BIN)/python tools/check_dist.py

demo: sysdeps $(STAMP)
	$(BIN)/pia-app demo --out out

lint: $(STAMP)
	$(BIN)/ruff check pia_app tests benchmarks tools setup.py
	$(BIN)/ruff format --check pia_app tests benchmarks tools setup.py

typecheck: $(STAMP)
	$(BIN)/mypy

# Every example report in both languages as .docx, .pdf and one PNG per page under preview/,
# to look at before a release (LibreOffice and poppler's pdftoppm come with sysdeps-test).
EXAMPLES := $(wildcard forms/face_voice/examples/*.json)
report-preview: sysdeps-test $(STAMP)
	rm -rf preview && mkdir -p preview
	set -e; for f in $(EXAMPLES); do \
	  name=$$(basename $$f .json); \
	  for lang in zh en; do \
	    $(BIN)/pia-app report $$f --out preview/$$name-$$lang.docx --lang $$lang --pdf; \
	    pdftoppm -r 80 -png preview/$$name-$$lang.pdf preview/$$name-$$lang; \
	  done; \
	done
	@echo "preview/: $$(ls preview/*.png | wc -l) page images"

bench: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py

# The main window and every section of the editor at 1366x768 and 1024x600 in both languages, as
# PNG files under screenshots/ (offscreen, temporary data folder): look at every one before a release.
screenshots: $(STAMP)
	rm -rf screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) out preview screenshots .pytest_cache .mypy_cache .ruff_cache
