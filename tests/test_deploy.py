"""deploy/: the compose file, nginx, Streamlit and the Dockerfile agree with the code.

Docker cannot run here; these checks parse the files and compare them with what
the code and the tools themselves accept: the environment variables dlcore reads,
Streamlit's own option names and health route, ``ray start``'s own options, and
Debian's ``redis-server`` run with the compose file's exact arguments.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
from pathlib import Path

import pytest
import yaml  # a dependency of ray (requirements-scale.txt)

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APPS = sorted(name for name in SERVICES if name.startswith("app-"))
NGINX = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
STREAMLIT = tomllib.loads((DEPLOY / "streamlit.toml").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined, comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


DOCKER = _dockerfile()


def _command(service: dict) -> list[str]:
    """A service's command as words (``sh -c`` scripts split into their words)."""
    command = service["command"]
    words = shlex.split(command) if isinstance(command, str) else list(command)
    if words[:2] == ["sh", "-c"]:
        words = shlex.split(words[2].replace("&&", " && "))
    return words


def _options(words: list[str], program: str) -> dict[str, str]:
    """``--name=value`` / ``--name value`` options of ``program``'s invocation."""
    start = words.index(program)
    out: dict[str, str] = {}
    i = start + 1
    while i < len(words) and words[i] != "&&":
        word = words[i]
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            following = words[i + 1] if i + 1 < len(words) else "--"
            if not eq and not following.startswith("--") and following != "&&":
                value = following
                i += 1
            out[name] = value
        i += 1
    return out


def _code_env_names() -> set[str]:
    """``DLCORE_*`` names that dlcore/ui code uses as string literals (not docs)."""
    names: set[str] = set()
    files = [ROOT / "app.py", *ROOT.glob("dlcore/**/*.py"), *ROOT.glob("ui/**/*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "DLCORE_" not in text:
            continue
        tree = ast.parse(text)
        docs = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(
                node,
                ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
            )
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and re.fullmatch(r"DLCORE_[A-Z_]+", node.value)
            ):
                names.add(node.value)
    return names


def _streamlit_port() -> int:
    return int(STREAMLIT["server"]["port"])


# --- compose ------------------------------------------------------------------------


def test_three_replicas_with_the_env_vars_the_code_reads():
    assert len(APPS) == 3
    read = _code_env_names()
    assert {"DLCORE_EXECUTOR", "DLCORE_CACHE_URL", "DLCORE_RAY_ADDRESS"} <= read
    for name in APPS:
        env = SERVICES[name]["environment"]
        dlcore_vars = {k for k in env if k.startswith("DLCORE_")}
        assert dlcore_vars <= read, dlcore_vars - read  # no misspelt variable
        assert env["DLCORE_EXECUTOR"] == "ray"
        assert env == SERVICES[APPS[0]]["environment"]  # identical replicas


def test_the_cache_url_points_at_the_redis_service():
    for name in APPS:
        url = urllib.parse.urlsplit(SERVICES[name]["environment"]["DLCORE_CACHE_URL"])
        assert url.scheme == "redis"
        assert url.hostname in SERVICES
        words = _command(SERVICES[url.hostname])
        port = int(_options(words, "redis-server").get("port", 6379))
        assert (url.port or 6379) == port
        condition = SERVICES[name]["depends_on"][url.hostname]["condition"]
        assert condition == "service_healthy"


def test_ray_addresses_match_the_head_and_use_real_ray_start_options():
    from ray.scripts.scripts import start

    known = {opt.lstrip("-") for p in start.params for opt in p.opts}
    head = _options(_command(SERVICES["ray-head"]), "start")
    assert "head" in head and set(head) <= known, set(head) - known
    head_address = f"ray-head:{head['port']}"
    for name in [*APPS, "ray-worker", "ray-gpu-worker"]:
        words = _command(SERVICES[name])
        opts = _options(words, "start")
        assert set(opts) <= known, (name, set(opts) - known)
        assert opts["address"] == head_address, name
    for name in APPS:  # the replica is a (0-CPU) node, so "auto" finds the cluster
        assert SERVICES[name]["environment"]["DLCORE_RAY_ADDRESS"] == "auto"
        assert _options(_command(SERVICES[name]), "start")["num-cpus"] == "0"
    gpu = SERVICES["ray-gpu-worker"]
    assert gpu["profiles"] == ["gpu"]  # optional
    assert _options(_command(gpu), "start")["num-gpus"] == "1"
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"]


def test_ray_token_is_shared_by_every_ray_process():
    """Ray 2.60 heads require a token: every node and driver must carry the same."""
    for name in ["ray-head", "ray-worker", "ray-gpu-worker", *APPS]:
        env = SERVICES[name].get("environment", {})
        assert env.get("RAY_AUTH_MODE") == "token", name
        assert (
            env.get("RAY_AUTH_TOKEN")
            == SERVICES["ray-head"]["environment"]["RAY_AUTH_TOKEN"]
        )


def test_streamlit_flags_and_health_checks_use_streamlit_s_own_names():
    from streamlit import config
    from streamlit.web.server.starlette.starlette_routes import ROUTE_HEALTH

    options = config.get_config_options()
    port = _streamlit_port()
    for name in APPS:
        words = _command(SERVICES[name])
        flags = _options(words, "run")
        assert set(flags) <= set(options), set(flags) - set(options)
        assert int(flags["server.port"]) == port
        check = " ".join(SERVICES[name]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{port}/{ROUTE_HEALTH}" in check
        for var in SERVICES[name]["environment"]:
            if var.startswith("STREAMLIT_"):  # STREAMLIT_<SECTION>_<OPTION>
                key = var.removeprefix("STREAMLIT_").lower()
                spelled = {
                    re.sub(r"(?<!^)(?=[A-Z])", "_", k.replace(".", "_")).lower()
                    for k in options
                }
                assert key in spelled, var


# --- Streamlit config -----------------------------------------------------------------


def test_production_streamlit_options_exist_and_are_set():
    from streamlit import config

    options = config.get_config_options()
    for section, values in STREAMLIT.items():
        for key in values:
            assert f"{section}.{key}" in options, f"{section}.{key}"
    server = STREAMLIT["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True  # Streamlit wants both with XSRF on
    assert server["headless"] is True
    assert server["baseUrlPath"] == ""  # nginx's `location /` serves the root


def test_streamlit_merges_the_production_file_with_the_app_config(tmp_path):
    """Streamlit's own resolution: user file (the image's) + the app's file."""
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    shutil.copy(DEPLOY / "streamlit.toml", home / ".streamlit" / "config.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    out = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT,
        env={**env, "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    shown = dict(re.findall(r"^(\w+) = (.+)$", out, flags=re.MULTILINE))
    assert shown["enableXsrfProtection"] == "true"
    assert shown["headless"] == "true"
    assert shown["websocketPingInterval"] == str(
        STREAMLIT["server"]["websocketPingInterval"]
    )
    # the app's own production settings still apply on top
    assert shown["fileWatcherType"] == '"none"'
    assert shown["maxUploadSize"] == str(PROJECT["server"]["maxUploadSize"])


# --- nginx ------------------------------------------------------------------------


def test_nginx_routes_sticky_websockets_to_every_replica():
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", NGINX, flags=re.DOTALL)
    assert upstream is not None
    servers = re.findall(r"^\s*server ([\w.-]+):(\d+)", upstream.group(2), re.M)
    assert sorted(host for host, _ in servers) == APPS
    assert {int(port) for _, port in servers} == {_streamlit_port()}
    assert f"proxy_pass http://{upstream.group(1)};" in NGINX
    # affinity: the hash key is the map of a cookie that the balancer itself sets
    key = re.search(r"hash \$(\w+) consistent;", upstream.group(2))
    assert key is not None
    mapping = re.search(r"map \$cookie_(\w+) \$(\w+) \{(.*?)\}", NGINX, re.DOTALL)
    assert mapping is not None and mapping.group(2) == key.group(1)
    assert '""' in mapping.group(3) and "$request_id" in mapping.group(3)
    assert f'Set-Cookie "{mapping.group(1)}=${key.group(1)};' in NGINX
    # websockets
    assert "proxy_http_version 1.1;" in NGINX
    assert "proxy_set_header Upgrade $http_upgrade;" in NGINX
    assert "proxy_set_header Connection $connection_upgrade;" in NGINX
    body = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert body is not None
    assert int(body.group(1)) > PROJECT["server"]["maxUploadSize"]
    lb = SERVICES["lb"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in lb["volumes"]
    assert set(lb["depends_on"]) == set(APPS)


# --- Dockerfile -------------------------------------------------------------------


def test_dockerfile_installs_the_scale_requirements_and_copies_the_app():
    runs = [args for word, args in DOCKER if word == "RUN"]
    assert any("pip install -r requirements-scale.txt" in r for r in runs)
    scale = (ROOT / "requirements-scale.txt").read_text(encoding="utf-8")
    assert re.search(r"^-r requirements\.txt", scale, re.M)
    names = {
        re.split(r"[<>=\[ ]", line)[0].lower()
        for line in scale.splitlines()
        if line and not line.startswith(("#", "-"))
    }
    for module in ("ray_jobs", "redis_cache"):  # what the scale-out code imports
        tree = ast.parse((ROOT / "dlcore" / f"{module}.py").read_text("utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and not node.level
        }
        for name in imported & {"ray", "redis"}:
            assert name in names, name
    copied = set()
    for word, args in DOCKER:
        if word == "COPY":
            parts = [p for p in args.split() if not p.startswith("--")]
            for src in parts[:-1]:
                assert (ROOT / src).exists(), src
                copied.add(src.rstrip("/").split("/")[0])
    # every top-level package the app imports, its config and the favicon folder
    from ui import shell

    needed = {"app.py", ".streamlit", "pages", "dlcore", "ui"}
    needed.add(shell.FAVICON.relative_to(ROOT).parts[0])
    assert needed <= copied, needed - copied
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert not needed & {i.rstrip("/") for i in ignored}


def test_dockerfile_port_user_config_and_health_check():
    from streamlit.web.server.starlette.starlette_routes import ROUTE_HEALTH

    expose = [args for word, args in DOCKER if word == "EXPOSE"]
    assert expose == [str(_streamlit_port())]
    health = " ".join(args for word, args in DOCKER if word == "HEALTHCHECK")
    assert ROUTE_HEALTH in health and f"127.0.0.1:{_streamlit_port()}" in health
    user = [args for word, args in DOCKER if word == "USER"]
    assert user and user[-1] != "root"
    target = [a for w, a in DOCKER if w == "COPY" and "deploy/streamlit.toml" in a]
    assert target and target[0].split()[-1] == (
        f"/home/{user[-1]}/.streamlit/config.toml"
    )
    cmd = [args for word, args in DOCKER if word == "CMD"][-1]
    assert '"streamlit", "run", "app.py"' in cmd


# --- Redis, natively ------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("redis-server") is None and not os.environ.get("CI"),
    reason="Debian's redis-server is not installed",
)
def test_redis_runs_with_the_compose_arguments_bounded_and_lru(tmp_path):
    import redis

    words = _command(SERVICES["redis"])
    assert words[0] == "redis-server"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [*words, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert proc.poll() is None, "redis-server refused the arguments"
                time.sleep(0.05)
        assert client.config_get("maxmemory-policy")["maxmemory-policy"] == (
            "allkeys-lru"
        )
        assert int(client.config_get("maxmemory")["maxmemory"]) > 0
        assert client.config_get("save")["save"] == ""
    finally:
        proc.terminate()
        proc.wait(10)
