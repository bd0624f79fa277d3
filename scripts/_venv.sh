# Sourced by scripts/build and scripts/test: make sure .venv has the project installed.
# Usage: ensure_venv EXTRAS   (EXTRAS is "" for the site, "test" for the test suite)
ensure_venv() {
  local extras="$1" python
  python=$(command -v python3.11 || command -v python3)
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: Python 3.11 or newer is needed (found $("$python" --version))" >&2
    exit 1
  fi
  # Re-install only when pyproject.toml or the wanted extras change.
  local hash stamp
  hash=$(sha256sum pyproject.toml | cut -c1-16)
  stamp=".venv/.installed-$hash${extras:+-$extras}"
  # The test install includes everything the site needs.
  if [ ! -f "$stamp" ] && [ ! -f ".venv/.installed-$hash-test" ]; then
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    echo "Installing dependencies into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}
