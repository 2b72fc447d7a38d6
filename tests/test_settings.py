"""Settings: read from TANDEM_* variables, arguments first, validated."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from tandem.settings import Settings


def test_environment_variables_fill_fields_and_arguments_win(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TANDEM_PORT", "9001")
    monkeypatch.setenv("TANDEM_DEMO", "true")
    monkeypatch.setenv("tandem_encoder", "hashing")
    monkeypatch.setenv("TANDEM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TANDEM_NOT_A_SETTING", "ignored")
    settings = Settings()
    assert (settings.port, settings.demo, settings.encoder) == (9001, True, "hashing")
    assert settings.home == (tmp_path / "home").resolve()
    assert Settings(port=8080).port == 8080


def test_a_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_PORT", "0")
    with pytest.raises(ValidationError, match="port must be between 1 and 65535"):
        Settings()


def test_reading_settings_does_not_import_pydantic_settings() -> None:
    import subprocess
    import sys

    code = "import sys, tandem.settings; tandem.settings.Settings(); print('pydantic_settings' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
