"""gunicorn is reachable only through the reverse proxy (Dockerfile, docker-compose.yml).

Production takes the client address from the X-Forwarded-For entry the proxy appends
(TRUSTED_PROXY_COUNT=1): a client that reached gunicorn directly could name any address for the login
lockout and the audit trail. So gunicorn has no TCP listener on all interfaces, in the image or in
compose, and no port of the web service is published.
"""

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - what must not appear


def _dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    (cmd,) = re.findall(r"^CMD (\[.*\])\s*$", text, re.MULTILINE)
    return json.loads(cmd)


def _bind(arguments: list[str]) -> str:
    for index, argument in enumerate(arguments):
        if argument.startswith("--bind="):
            return argument.split("=", 1)[1]
        if argument in ("--bind", "-b"):
            return arguments[index + 1]
    return "127.0.0.1:8000"  # gunicorn's default


def test_the_image_binds_gunicorn_to_a_unix_socket_and_exposes_nothing():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert _bind(_dockerfile_cmd()) == "unix:/run/gunicorn/gunicorn.sock"
    assert not re.search(r"^EXPOSE", dockerfile, re.MULTILINE)
    instructions = [line for line in dockerfile.splitlines() if not line.startswith("#")]
    assert ALL_INTERFACES not in "".join(instructions)


def test_compose_publishes_no_web_port_and_binds_the_socket_by_default():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    web = compose["services"]["web"]
    assert "ports" not in web
    assert _bind(web["command"]) == "${GUNICORN_BIND:-unix:/run/gunicorn/gunicorn.sock}"
    (socket_dir,) = [volume for volume in web["volumes"] if isinstance(volume, dict)]
    assert socket_dir["target"] == "/run/gunicorn"
    assert socket_dir["bind"]["create_host_path"] is False
    for name, service in compose["services"].items():
        assert ALL_INTERFACES not in json.dumps(service), name
        assert not service.get("ports"), name


def test_compose_requires_the_audit_key():
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "AUDIT_HMAC_KEY: ${AUDIT_HMAC_KEY:?" in compose
