"""`make test` without Chromium or the PostgreSQL server skips those tests and says so in one
line at the end (tests/conftest.py pytest_terminal_summary): how many, why, what to install."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(tmp_path, body: str) -> str:
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_terminal_summary  # noqa: F401\n")
    (tmp_path / "test_some.py").write_text(body)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-W", "ignore", str(tmp_path)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def test_skips_are_named_in_one_line_at_the_end(tmp_path):
    chromium = "Chromium niet geïnstalleerd (apt-get install chromium)"
    postgres = "PostgreSQL niet geïnstalleerd (apt-get install postgresql)"
    out = run(tmp_path, "import pytest\n\n"
              f"def test_a():\n    pytest.skip({chromium!r})\n\n"
              f"def test_b():\n    pytest.skip({chromium!r})\n\n"
              f"def test_c():\n    pytest.skip({postgres!r})\n\n"
              "def test_d():\n    pass\n")
    lines = [line for line in out.splitlines() if line.startswith("OVERGESLAGEN")]
    assert lines == ["OVERGESLAGEN: 2 tests: Chromium niet geïnstalleerd (apt-get install "
                     "chromium); 1 tests: PostgreSQL niet geïnstalleerd (apt-get install "
                     "postgresql)"], out
    # at the end: only pytest's own count follows it
    after = out.splitlines()[out.splitlines().index(lines[0]) + 1:]
    assert len(after) == 1 and "1 passed, 3 skipped" in after[0], out


def test_nothing_skipped_says_nothing(tmp_path):
    out = run(tmp_path, "def test_d():\n    pass\n")
    assert "1 passed" in out and "OVERGESLAGEN" not in out, out
