import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A fresh production-like environment: none of the test run's own switches (the browser tests
    # set DJANGO_ALLOW_ASYNC_UNSAFE for the whole session).
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_the_deploy_checks_pass_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x" * 64 + "-a-long-random-production-key", ALLOWED_HOSTS="mlprep.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="mlprep.example.com")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def database_options(**env: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements():
    options = database_options(DATABASE_URL="postgres://u@db.internal:5432/mlprep")
    assert "'server_side_binding': True" in options
    assert "'prepare_threshold': 5" in options


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    options = database_options(DATABASE_URL="postgres://u@db.internal:5432/mlprep", DATABASE_PREPARED="0")
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_sqlite_gets_no_postgresql_options():
    options = database_options(DATABASE_URL="sqlite:////tmp/mlprep-settings-test.sqlite3")
    assert "server_side_binding" not in options


def test_postgresql_uses_djangos_backend_with_the_quiet_health_check():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_manage("shell", "-c", code, DATABASE_URL="postgres://u@db.internal:5432/mlprep")
    assert result.stdout.strip().splitlines()[-1] == "config.postgresql", result.stderr
