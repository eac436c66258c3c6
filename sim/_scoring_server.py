"""The scoring server of a simulated web service: `python -m sim._scoring_server <service folder>`.

It plays the Azure ML inference container: binds 127.0.0.1 (a free port unless one was asked for),
activates the simulator, imports the learner's entry script from the snapshot in `<folder>/app`, calls
`init()` once, then answers `POST /score` by calling `run(raw_json_string)` and returning its result as
JSON. `GET /` is the liveness probe, `GET /swagger.json` a minimal API description. Everything the
script prints, and every traceback, goes to the service log (`get_logs()`). With Application Insights on, each
`POST` is also recorded (time, status code, latency, sizes) in the service folder (`sim._request_log`).

The server reports itself in `<folder>/status.json` (pid, port, state) and exits on its own when that file
is removed or names another pid (a newer deployment replaced it), or when its owner process ends (`sim._owner`:
the app or `dp100` command that runs the simulator), so it never lingers as an orphan.

With the home hidden (`labs.sandbox.jobs.wanted`), the learner's script runs in a job-style sandbox instead: the
detached process is a keeper (`sim._scoring_keeper`) that starts `--inside` in bubblewrap and is the pid the
service records; inside, the server listens on `<folder>/server.sock` (SOCKET_FILE), not on a port, and reports
its keeper's pid (REPORTED_PID_ENV), since its own is a pid of the sandbox's namespace.

Limits, as a real inference server has them: a request body over `MAX_BODY_BYTES` (100 MB) is refused with 413
before it is read (from Content-Length, or while reading a chunked body); a connection that sends nothing for
`READ_TIMEOUT_SECONDS` is closed; and at most `WORKERS` connections are served at once (the rest wait their
turn), so idle or hostile clients cannot make the server grow without bound.
"""

from __future__ import annotations

import hmac
import importlib.util
import json
import os
import socket
import socketserver
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from sim import _owner, _request_log, _scoring_schema, messages

WATCH_INTERVAL = 0.5
# Tests shorten these through the environment; the defaults are what a learner's server runs with.
MAX_BODY_BYTES = int(os.environ.get("DP100_SIM_SCORING_MAX_BYTES") or 100 * 1024 * 1024)
READ_TIMEOUT_SECONDS = float(os.environ.get("DP100_SIM_SCORING_READ_TIMEOUT") or 30.0)
WORKERS = 16
SOCKET_FILE = "server.sock"  # where a sandboxed server listens, in its folder (bound into its sandbox)
REPORTED_PID_ENV = "DP100_SCORING_PID"  # a sandboxed server reports this pid (its keeper's) as its own


class BodyTooLarge(ValueError):
    """A request body over MAX_BODY_BYTES."""


class BadBody(ValueError):
    """A request body whose framing (Content-Length or chunks) cannot be read."""


class BoundedHTTPServer(HTTPServer):
    """An HTTP server that serves connections on a fixed pool of worker threads (queued beyond it)."""

    request_queue_size = 128  # the listen backlog: a burst of connections waits instead of being refused

    def __init__(self, address, handler, workers: int = WORKERS):
        super().__init__(address, handler)
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scoring-worker")

    def process_request(self, request, client_address):
        self.pool.submit(self._serve_one, request, client_address)

    def _serve_one(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - one broken connection must not end the worker
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class UnixBoundedHTTPServer(BoundedHTTPServer):
    """The same server on a Unix socket: a sandboxed server has its own network, so no port reaches it."""

    address_family = socket.AF_UNIX
    allow_reuse_address = False

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)  # HTTPServer's own would read a host and port from the address
        self.server_name, self.server_port = "localhost", 0


def reported_pid() -> int:
    """The pid the service knows this server by: its keeper's when sandboxed, else its own."""
    return int(os.environ.get(REPORTED_PID_ENV) or os.getpid())


def read_body(headers, rfile, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refusing one over `limit` bytes before reading past it.

    Raises:
        BodyTooLarge: Content-Length (or the chunks read so far) exceed `limit`.
        BadBody: Content-Length is not a number, or a chunk size line is malformed.
    """
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        return _read_chunked(rfile, limit)
    try:
        length = int(headers.get("Content-Length") or 0)
    except ValueError:
        raise BadBody("Content-Length is not a number") from None
    if length > limit:
        raise BodyTooLarge(length)
    return rfile.read(max(length, 0))


def _read_chunked(rfile, limit: int) -> bytes:
    body = bytearray()
    while True:
        line = rfile.readline(1024)
        try:
            size = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            raise BadBody("a chunk size line is not hexadecimal") from None
        if size == 0:
            while rfile.readline(1024) not in (b"\r\n", b"\n", b""):  # trailers, up to the blank line
                pass
            return bytes(body)
        if len(body) + size > limit:
            raise BodyTooLarge(len(body) + size)
        body += rfile.read(size)
        rfile.readline(8)  # the CRLF after the chunk


def log(text: str) -> None:
    """One line in the service log, timestamped like the container's."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S,%f")[:-3]
    print(f"{stamp} | sim-inference-server | {text}", flush=True)


def write_status(folder: Path, **status) -> None:
    """Replace status.json atomically."""
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps({"pid": reported_pid(), **status}))
    os.replace(tmp, folder / "status.json")


class ScoringApp:
    """The loaded entry script plus what the HTTP handler needs to call it."""

    def __init__(self, folder: Path, config: dict):
        self.folder = folder
        self.config = config
        self.module = None
        self.decorated = False  # run() carries inference-schema decorators: called with keyword arguments
        self.lock = threading.Lock()  # run() is called one request at a time, like a single worker
        self._keys: tuple[float, set[str]] = (-1.0, set())
        self.requests = _request_log.RequestLog(folder)  # Application Insights' request records, when enabled

    def prepare_environment(self) -> None:
        """Set the variables and working folder an Azure inference container provides."""
        models = self.folder / "azureml-models"
        os.environ["AML_APP_ROOT"] = str(self.folder)
        os.environ["AZUREML_MODEL_DIR"] = str(self.folder / self.config["model_dir"])
        os.environ["AZUREML_ENTRY_SCRIPT"] = self.config["entry_script"]
        os.environ["SERVICE_NAME"] = self.config["name"]
        os.environ.update({str(k): str(v) for k, v in (self.config.get("environment_variables") or {}).items()})
        models.mkdir(exist_ok=True)
        app = self.folder / "app"
        os.chdir(app)
        sys.path.insert(0, str(app))

    def _import_entry(self):
        """The learner's entry script, or the server's own module for a model served with no script."""
        builtin = self.config.get("entry_module")
        if builtin:
            log(f"No scoring script: serving the MLflow model in {os.environ['AZUREML_MODEL_DIR']} ({builtin})")
            return importlib.import_module(builtin)
        script = self.folder / "app" / self.config["entry_script"]
        log(f"Found user script at {script}")
        if str(script.parent) not in sys.path:  # its sibling modules import as they did in source_directory
            sys.path.insert(0, str(script.parent))
        spec = importlib.util.spec_from_file_location(script.stem, script)
        module = importlib.util.module_from_spec(spec)
        sys.modules[script.stem] = module
        spec.loader.exec_module(module)
        return module

    def load(self) -> None:
        """Import the entry script and call its init(); raises what the script raises."""
        import sim

        sim.activate()
        module = self._import_entry()
        if not callable(getattr(module, "init", None)):
            raise AttributeError(messages.SERVICE_SCRIPT_NO_INIT.format(script=self.config["entry_script"]))
        if not callable(getattr(module, "run", None)):
            raise AttributeError(messages.SERVICE_SCRIPT_NO_RUN.format(script=self.config["entry_script"]))
        self.decorated = _scoring_schema.is_decorated(module.run)
        if self.decorated:
            log("run() is decorated with @input_schema. Server will invoke it with the following arguments: "
                + ", ".join(_scoring_schema.parameter_names(module.run)) + ".")
        else:
            log("run() is not decorated. Server will invoke it with the input in JSON string.")
        log("Invoking user's init function")
        module.init()
        log("Users's init has completed successfully")
        self.module = module

    def schema_definitions(self) -> dict:
        """The swagger definitions from a decorated run()'s schemas ({} for an undecorated one)."""
        return _scoring_schema.definitions(self.module.run) if self.module is not None and self.decorated else {}

    def authorized(self, header: str | None) -> bool:
        """True when auth is off, or the Bearer key matches the primary or secondary key."""
        keys_path = self.folder / "keys.json"
        if not keys_path.exists():
            return True
        mtime = keys_path.stat().st_mtime
        if mtime != self._keys[0]:
            data = json.loads(keys_path.read_text())
            self._keys = (mtime, {data["primaryKey"], data["secondaryKey"]} if data.get("authEnabled") else set())
        if not self._keys[1]:
            return True
        token = (header or "").removeprefix("Bearer ").strip()
        return any(hmac.compare_digest(token, key) for key in self._keys[1])

    def score(self, raw: str) -> tuple[int, bytes]:
        """Call run(raw) and JSON-encode its result; a failure is a 500 with the error, logged in full."""
        try:
            with self.lock:
                result = _scoring_schema.call(self.module.run, raw) if self.decorated else self.module.run(raw)
            body = result if isinstance(result, bytes) else json.dumps(result).encode()
            return 200, body
        except Exception as exc:  # noqa: BLE001 - any learner error becomes an HTTP 500, as in Azure
            log("Encountered Exception: " + traceback.format_exc())
            # a built-in scoring module names the errors that are the caller's (a bad request: 400)
            status = 400 if isinstance(exc, getattr(self.module, "CLIENT_ERRORS", ())) else 500
            return status, json.dumps({"message": f"{type(exc).__name__}: {exc}"}).encode()


def make_handler(app: ScoringApp):
    """The request handler class bound to one ScoringApp."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "sim-azureml-inference"
        timeout = READ_TIMEOUT_SECONDS  # socketserver sets it on the connection: an idle client is dropped

        def log_message(self, fmt, *args):  # route access lines into the service log
            log(fmt % args)

        def _reply(self, code: int, body: bytes, content_type: str = "application/json") -> None:
            if self.command == "POST":  # recorded before the answer leaves: a client that has it finds its record
                self._record(code, len(body))
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _refuse(self, code: int, message: str) -> None:
            """Answer an unreadable request and close the connection without reading the rest of its body."""
            self.close_connection = True
            self._reply(code, json.dumps({"message": message}).encode())
            self.wfile.flush()
            linger(self.connection)

        def do_GET(self):  # noqa: N802 - http.server's naming
            path = self.path.split("?")[0].rstrip("/")
            if path == "":
                self._reply(200, b"Healthy\n", "text/plain")
            elif path == "/swagger.json":
                self._reply(200, json.dumps(swagger(app.config["name"], app.schema_definitions())).encode())
            else:
                self._reply(404 if path != "/score" else 405, b'{"message": "Not found"}')

        def _record(self, code: int, response_bytes: int) -> None:
            """Application Insights' record of this request (when enabled): its latency ends with the answer."""
            request_bytes = self.body_bytes if self.body_bytes is not None else _declared_length(self.headers)
            app.requests.record("POST " + self.path.split("?")[0], code, (time.monotonic() - self.started) * 1000,
                                request_bytes, response_bytes)

        def do_POST(self):  # noqa: N802
            self.started, self.body_bytes = time.monotonic(), None
            if self.path.split("?")[0].rstrip("/") != "/score":
                self._reply(404, b'{"message": "Not found"}')
                return
            if not app.authorized(self.headers.get("Authorization")):
                self._reply(401, b'{"message": "Unauthorized: pass Authorization: Bearer <service key>"}')
                return
            try:
                body = read_body(self.headers, self.rfile)
            except BodyTooLarge as exc:
                self._refuse(413, messages.SCORING_BODY_TOO_LARGE.format(size=exc.args[0], limit=MAX_BODY_BYTES))
                return
            except BadBody as exc:
                self._refuse(400, f"The request body cannot be read: {exc}.")
                return
            self.body_bytes = len(body)
            self._reply(*app.score(body.decode("utf-8", errors="replace")))

    return Handler


def _declared_length(headers) -> int:
    """The request's Content-Length (0 when malformed): the size a record reports for a body never read."""
    try:
        return max(int(headers.get("Content-Length") or 0), 0)
    except ValueError:
        return 0


def linger(connection, seconds: float = 2.0) -> None:
    """Half-close, then discard what the client still sends for a moment before the socket is closed.

    Closing a socket with unread data makes the kernel send a reset, which can destroy the answer (a 413) before
    the client reads it; a short lingering read lets the client see the answer, as web servers do.
    """
    try:
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(0.2)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and connection.recv(65536):
            pass
    except OSError:
        pass


def swagger(name: str, definitions: dict | None = None) -> dict:
    """A Swagger 2.0 description of the scoring API; with a decorated run(), its input and output schemas."""
    document = {
        "swagger": "2.0",
        "info": {"title": name, "description": "API specification for the simulated Azure ML service " + name,
                 "version": "1.0"},
        "schemes": ["http"], "consumes": ["application/json"], "produces": ["application/json"],
        "paths": {"/": {"get": {"operationId": "ServiceHealthCheck",
                                "responses": {"200": {"description": "Healthy"}}}},
                  "/score": {"post": {"operationId": "RunMLService",
                                      "parameters": [{"name": "serviceInputPayload", "in": "body",
                                                      "required": True, "schema": {"type": "object"}}],
                                      "responses": {"200": {"description": "Success"},
                                                    "500": {"description": "Scoring error"}}}}},
    }
    if definitions:
        score = document["paths"]["/score"]["post"]
        if "ServiceInput" in definitions:
            score["parameters"][0]["schema"] = {"$ref": "#/definitions/ServiceInput"}
        if "ServiceOutput" in definitions:
            score["responses"]["200"]["schema"] = {"$ref": "#/definitions/ServiceOutput"}
        document["definitions"] = definitions
    return document


def watch(folder: Path, server: HTTPServer) -> None:
    """Exit when the service folder says this server is no longer the current one, or its owner has ended."""
    me, owner = reported_pid(), os.environ.get(_owner.OWNER_ENV)
    while True:
        time.sleep(WATCH_INTERVAL)
        if owner and not _owner.alive(owner):
            log(f"The process that owns this server ({owner.partition(':')[0]}) has ended; stopping.")
            os._exit(0)
        try:
            current = json.loads((folder / "status.json").read_text()).get("pid")
        except (OSError, ValueError):
            current = None
        if current != me:
            log("This server was replaced or its service removed; stopping.")
            os._exit(0)


def crash_error(name: str, detail: str) -> dict:
    """The error body Azure reports when a container crashes during start-up."""
    return {"code": "AciDeploymentFailed", "statusCode": 400,
            "message": messages.SERVICE_CRASHED.format(name=name),
            "details": [{"code": "CrashLoopBackOff", "message": detail}]}


def _realistic_wait(config: dict, started: float) -> None:
    """Stay Transitioning for the deployment delay the simulator was asked for (DP100_SIM_DEPLOY_DELAY)."""
    remaining = float(config.get("transition_seconds") or 0) - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def _listen(folder: Path, config: dict) -> tuple[HTTPServer, int | None]:
    """The listening server and its port: a port on 127.0.0.1, or, sandboxed, SOCKET_FILE in the folder (bound by
    its relative name from the folder: a deep DP100_HOME makes the full path too long for a socket address).

    Raises:
        OSError: the port asked for is in use.
    """
    if not os.environ.get(REPORTED_PID_ENV):
        server = BoundedHTTPServer(("127.0.0.1", int(config.get("port") or 0)), None)
        return server, server.server_address[1]
    os.chdir(folder)
    Path(SOCKET_FILE).unlink(missing_ok=True)  # an earlier server's socket file
    return UnixBoundedHTTPServer(SOCKET_FILE, None), None


def main(argv: list[str]) -> int:
    """Serve the service in argv[0] until stopped."""
    started = time.monotonic()
    folder = Path(argv[0]).resolve()
    config = json.loads((folder / "service.json").read_text())
    try:
        server, port = _listen(folder, config)
    except OSError:
        if os.environ.get(REPORTED_PID_ENV):
            raise  # not a busy port: the traceback in the log says what (the keeper ends, the service sees it)
        detail = messages.SERVICE_PORT_BUSY.format(port=config.get("port"))
        log(detail)
        write_status(folder, port=None, state="Failed", error={"code": "PortInUse", "message": detail})
        return 1
    where = {"port": port} if port else {"port": None, "socket": SOCKET_FILE}
    write_status(folder, **where, state="Transitioning")
    threading.Thread(target=watch, args=(folder, server), daemon=True).start()
    log(f"Starting the simulated Azure ML inferencing server for service {config['name']} on "
        + (f"port {port}" if port else f"{folder / SOCKET_FILE} (sandboxed)"))
    app = ScoringApp(folder, config)
    app.prepare_environment()
    log(f"AZUREML_MODEL_DIR={os.environ['AZUREML_MODEL_DIR']}")
    try:
        app.load()
    except BaseException as exc:  # noqa: BLE001 - the learner's init() may raise anything, even SystemExit
        trace = traceback.format_exc()
        log("User's init function failed\n" + trace)
        _realistic_wait(config, started)
        write_status(folder, **where, state="Unhealthy",
                     error=crash_error(config["name"], f"{type(exc).__name__}: {exc}"))
        return 1
    server.RequestHandlerClass = make_handler(app)
    _realistic_wait(config, started)
    write_status(folder, **where, state="Healthy")
    log(f"Listening at: http://127.0.0.1:{port}" if port else f"Listening at: unix:{folder / SOCKET_FILE}")
    server.serve_forever(poll_interval=0.2)
    return 0


def detach(argv: list[str]) -> int:
    """Fork the server off this launcher (which prints the server's pid and exits at once); the server
    then leads its own session and writes its output to the service log. With the home hidden, what is forked is
    the server's keeper (`sim._scoring_keeper`), which runs the server in a sandbox."""
    folder = Path(argv[0]).resolve()
    pid = os.fork()
    if pid:
        print(pid, flush=True)
        os._exit(0)
    os.setsid()
    log_fd = os.open(folder / "server.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(log_fd, 1)  # also closes the launcher's pipe in this process, so the deployer reads EOF
    os.dup2(log_fd, 2)
    os.close(log_fd)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.stderr = os.fdopen(2, "w", buffering=1)
    from labs.sandbox import jobs as job_boxes
    from sim.cloud.services._process import SERVICE_TOKEN_ENV

    if job_boxes.wanted(started_by_service=bool(os.environ.get(SERVICE_TOKEN_ENV))):
        from sim import _scoring_keeper

        return _scoring_keeper.keep(folder)
    return main(argv)


def inside(argv: list[str]) -> int:
    """`--inside FOLDER MEM_MB FSIZE_MB`: in the sandbox, hard limits first (the script cannot lift them), then
    the server."""
    from labs._launcher import apply_limits

    apply_limits(int(argv[1]), 0, int(argv[2]))
    return main(argv[:1])


if __name__ == "__main__":
    from dp100 import paths

    paths.keep_private()  # its log, status file and whatever the scoring script writes: the user's only
    if sys.argv[1:2] == ["--detach"]:
        sys.exit(detach(sys.argv[2:]))
    if sys.argv[1:2] == ["--inside"]:
        sys.exit(inside(sys.argv[2:]))
    sys.exit(main(sys.argv[1:]))
