# The two commands of the README: `make run` (set up, open the app) and `make test` (set up, run
# every test offscreen). Everything else is a helper of these.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test wheel-check package install-desktop demo lint typecheck check sysdeps sysdeps-test report-preview bench screenshots clean

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
	$(BIN)/ruff check pia_app tests benchmarks tools packaging setup.py
	$(BIN)/ruff format --check pia_app tests benchmarks tools packaging setup.py
	$(BIN)/mypy
	$(BIN)/python tools/check_dist.py

# The sdist and the wheel built, the wheel installed in a fresh venv outside the checkout and tried
# there (demo, grade, forms check, self-test) as a user who never cloned the repo (~25 s).
wheel-check: $(STAMP)
	$(BIN)/python tools/check_dist.py

demo: sysdeps $(STAMP)
	$(BIN)/pia-app demo --out out

lint: $(STAMP)
	$(BIN)/ruff check pia_app tests benchmarks tools packaging setup.py
	$(BIN)/ruff format --check pia_app tests benchmarks tools packaging setup.py

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

# The desktop bundle (one folder, dist/pia-app/) and its .tar.gz, built with PyInstaller from
# packaging/pia-app.spec, then its self-test run offscreen. Heavy (minutes): not part of make test;
# PIA_PACKAGE_TEST=1 make test also tests the bundle built here (tests/unit/test_bundle.py).
PACKAGE_STAMP := $(VENV)/.package-installed
$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,package]'
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP)
	bash tools/system-deps.sh package
	rm -rf dist/pia-app dist/pia-app-*.tar.gz build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/pia-app.spec
	cp packaging/linux/install-desktop.sh dist/pia-app/
	mkdir -p dist/pia-app/share/icons
	cp packaging/linux/*.desktop packaging/linux/*.metainfo.xml dist/pia-app/share/
	cp -r packaging/icons/pia-app.svg packaging/icons/hicolor dist/pia-app/share/icons/
	version=$$($(BIN)/python -c 'import pia_app; print(pia_app.__version__)'); \
	  tar -C dist -czf dist/pia-app-$$version-linux-$$(uname -m).tar.gz pia-app
	QT_QPA_PLATFORM=offscreen dist/pia-app/pia-app --self-test
	@du -sh dist/pia-app dist/pia-app-*.tar.gz

# The launcher, icons and AppStream metadata for the current user under ~/.local/share, running
# the bundle of make package if there is one, else this checkout's pia-app.
install-desktop: $(STAMP)
	bash packaging/linux/install-desktop.sh "$(CURDIR)/$(if $(wildcard dist/pia-app/pia-app),dist/pia-app/pia-app,$(BIN)/pia-app)"

bench: sysdeps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py

# The main window and every section of the editor at 1366x768 and 1024x600 in both languages, as
# PNG files under screenshots/ (offscreen, temporary data folder): look at every one before a release.
screenshots: $(STAMP)
	rm -rf screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) out preview screenshots dist build .pytest_cache .mypy_cache .ruff_cache
