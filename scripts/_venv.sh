# Sourced by the scripts: make sure .venv has the project and its locked dependencies installed.
# Usage: ensure_venv EXTRAS   (EXTRAS is "" for the site, "test" for the test suite and dev tools)
# Dependencies come from requirements/site.txt or requirements/test.txt, pinned with hashes
# (refresh them with scripts/lock), so an upstream release cannot change what is installed.
ensure_venv() {
  local lock="${1:-site}" python
  python=$(command -v python3.11 || command -v python3)
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: Python 3.11 or newer is needed (found $("$python" --version))" >&2
    exit 1
  fi
  # Re-install only when pyproject.toml or the lock file change; the test lock includes the site's.
  local stamp
  stamp=$(_venv_stamp "$lock")
  if [ ! -f "$stamp" ] && [ ! -f "$(_venv_stamp test)" ]; then
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    echo "Installing dependencies into .venv from requirements/$lock.txt ..." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "requirements/$lock.txt"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/build.txt
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
  compile_sources
}

# Python reads the byte-code it finds even where the environment says not to write any
# (PYTHONDONTWRITEBYTECODE): compiled here whenever a source changed, the tool's modules are not
# compiled again by every command (a twentieth of an edited build's time on a large site).
compile_sources() {
  if [ ! -f .venv/.compiled ] || [ -n "$(find site_builder -name '*.py' -newer .venv/.compiled -print -quit)" ]; then
    # Checked by the source's hash, not its time: an edit within the same second is never missed.
    .venv/bin/python -m compileall -q --invalidation-mode checked-hash site_builder >/dev/null && touch .venv/.compiled
  fi
}

_venv_stamp() {
  echo ".venv/.installed-$(cat pyproject.toml "requirements/$1.txt" requirements/build.txt | sha256sum | cut -c1-16)-$1"
}
