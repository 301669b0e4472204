"""The ways to install dondoc: the systemd unit (checked by ``systemd-analyze verify``
where systemd is present), and the container image's files (checked here as text; the
image is built and run by ``bench/bench_container.py`` where a container runtime can)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest

from tests.conftest import ROOT

UNIT = ROOT / "deploy" / "dondoc.service"
HARDENING = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
             "PrivateTmp": "yes", "Restart": "on-failure", "User": "dondoc",
             "StateDirectory": "dondoc", "EnvironmentFile": "/etc/dondoc/dondoc.env"}  # fmt: skip


def _settings(text: str) -> dict[str, str]:
    return dict(re.findall(r"^(\w+)=(.*)$", text, re.M))


def _verify(tmp_path, text: str) -> list[str]:  # noqa: ANN001
    """What ``systemd-analyze verify`` says about the unit, with ExecStart pointed at
    this checkout's dondoc (verify checks that the program exists)."""
    dondoc = ROOT / ".venv" / "bin" / "dondoc"
    unit = tmp_path / "dondoc.service"
    unit.write_text(text.replace("/opt/dondoc/.venv/bin/dondoc", str(dondoc)))
    run = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    return [line for line in (run.stdout + run.stderr).splitlines() if "dondoc.service" in line] + (
        [f"exit {run.returncode}"] if run.returncode else []
    )


def test_the_unit_runs_as_its_own_user_hardened() -> None:
    settings = _settings(UNIT.read_text())
    assert {k: settings.get(k) for k in HARDENING} == HARDENING
    assert settings["ExecStart"].endswith("dondoc run")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed (no systemd here)")
def test_systemd_analyze_verify_accepts_the_unit(tmp_path) -> None:  # noqa: ANN001
    if not (ROOT / ".venv" / "bin" / "dondoc").exists():
        pytest.skip("no .venv/bin/dondoc to point ExecStart at")
    assert _verify(tmp_path, UNIT.read_text()) == []
    broken = UNIT.read_text().replace("ProtectSystem=strict", "ProtectSystem=strickt")
    assert any("ProtectSystem" in line or "protect system" in line for line in _verify(tmp_path, broken))


def test_the_image_has_every_package_a_volume_and_no_root() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = set(re.findall(r"^COPY (\w+) \1$", dockerfile, re.M))
    assert {p.rstrip("*") for p in packages} <= copied, "the Dockerfile must COPY every package"
    assert re.search(r"^USER dondoc$", dockerfile, re.M)
    assert 'VOLUME ["/var/lib/dondoc"]' in dockerfile
    assert "pybabel -q compile" in dockerfile and "HEALTHCHECK" in dockerfile
    compose = (ROOT / "compose.yaml").read_text()
    assert "image: docker.io/library/postgres:15" in compose
    assert compose.count("healthcheck:") == 2 and "condition: service_healthy" in compose
