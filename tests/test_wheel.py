"""The wheel carries templates/ and assets/: install it outside the repo and build a pack there."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REPO, ROOTS

pytestmark = pytest.mark.slow


def test_wheel_installs_and_builds_outside_the_repo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("teachpack-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )

    workspace = tmp_path / "elsewhere"
    shutil.copytree(ROOTS / "basic", workspace / "water")
    result = subprocess.run(
        [
            str(env_dir / "bin" / "teachpack"),
            "build",
            "water",
            "--out",
            "out",
            "--level",
            "high",
            "--edition",
            "student",
        ],
        cwd=workspace,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in (workspace / "out" / "water").iterdir())
    assert built == ["water-high-student.docx", "water-high-student.pdf"]
    # The installed package, not this checkout, supplied the templates.
    where = subprocess.run(
        [str(python), "-c", "import builder.core.paths as p; print(p.TEMPLATES)"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(env_dir) in where and (Path(where.strip()) / "reference.docx").is_file()
