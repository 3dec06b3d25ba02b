"""Helpers for weft's pytest suite (run with /usr/bin/python3).

Binaries are found in the build directory named by $WEFT_BUILD, or else
build-asan/ at the repository root if it has been configured, or else
build/.  A test that needs something absent (a weft binary not built yet,
an OVS/OVN tool not installed, root) skips with a reason saying what is
missing; it never passes silently.

Daemons are started in the foreground with subprocess.Popen, so the test
owns their PIDs, and are stopped by PID (SIGTERM, then SIGKILL after a
timeout).  Nothing here ever signals a process it did not start.

    db = WeftDb(tmp_path)            # NB + SB from schemas/
    db.start()
    db.client("list-dbs")            # runs ovsdb-client against it
    db.stop()

WeftDb and OvsdbServer are also context managers; conftest.py wraps them
in the fixtures 'weft_db' and 'ovsdb_server'.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMAS = os.path.join(ROOT, "schemas")

# Database name -> weft schema file, for the default databases.
DEFAULT_SCHEMAS = {
    "nb": os.path.join(SCHEMAS, "ovn-nb.ovsschema"),
    "sb": os.path.join(SCHEMAS, "ovn-sb.ovsschema"),
}

# Text that a sanitizer prints when it finds a problem.
SANITIZER_MARKERS = (
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "runtime error:",
)


def build_dir():
    """Returns the build directory that tests use."""
    env = os.environ.get("WEFT_BUILD")
    if env:
        return os.path.abspath(env)
    asan = os.path.join(ROOT, "build-asan")
    if os.path.exists(os.path.join(asan, "build.ninja")):
        return asan
    return os.path.join(ROOT, "build")


def binary(relpath):
    """Returns the path of built binary 'relpath' (such as
    "daemons/weft-db"), or None if it has not been built."""
    path = os.path.join(build_dir(), relpath)
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return None


def need_binary(relpath, reason=None):
    """Returns the path of built binary 'relpath' or skips the test."""
    path = binary(relpath)
    if path is None:
        pytest.skip(reason or "%s not built (in %s)"
                    % (os.path.basename(relpath), build_dir()))
    return path


def need_weft_db():
    return need_binary("daemons/weft-db", "weft-db not built")


def need_weft_appctl():
    return need_binary("cli/weft-appctl", "weft-appctl not built")


def need_tool(name):
    """Returns the path of installed program 'name' or skips the test."""
    path = shutil.which(name)
    if path is None:
        pytest.skip("%s not installed (run scripts/install-deps.sh)" % name)
    return path


def need_root():
    if os.geteuid() != 0:
        pytest.skip("needs root")


def run(argv, check=True, timeout=60, input=None, env=None):
    """Runs 'argv' and returns the subprocess.CompletedProcess, with
    'stdout' and 'stderr' as text.  With 'check', a non-zero exit raises
    AssertionError showing the command and its output."""
    r = subprocess.run([str(a) for a in argv], input=input, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("%s exited with status %d\nstdout:\n%s\n"
                             "stderr:\n%s" % (" ".join(map(str, argv)),
                                              r.returncode, r.stdout,
                                              r.stderr))
    return r


def ovsdb_client(*args, check=True, timeout=60):
    """Runs the real ovsdb-client with 'args'."""
    tool = need_tool("ovsdb-client")
    return run([tool] + list(args), check=check, timeout=timeout)


def wait_for_unix_socket(path, proc=None, timeout=10.0):
    """Waits until unix socket 'path' accepts a connection.  Raises
    AssertionError if 'proc' (a Popen) exits first or 'timeout' seconds
    pass."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise AssertionError("process exited with status %d before %s "
                                 "accepted connections"
                                 % (proc.returncode, path))
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return
        except OSError:
            pass
        finally:
            s.close()
        if time.monotonic() >= deadline:
            raise AssertionError("%s did not accept connections within "
                                 "%.1f s" % (path, timeout))
        time.sleep(0.05)


class Daemon:
    """A daemon that this test started and owns.

    Subclasses set 'name' and implement _prepare() and _argv().  Files go
    under 'workdir'; sockets go in a short directory under /tmp, because a
    unix socket path must fit in 108 bytes and pytest's tmp_path often
    does not."""

    name = "daemon"

    def __init__(self, workdir):
        self.workdir = str(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.sockdir = tempfile.mkdtemp(prefix="weft-", dir="/tmp")
        self.proc = None
        self.output_path = os.path.join(self.workdir, self.name + ".out")
        self._output = None

    def sock(self, name):
        return os.path.join(self.sockdir, name)

    @property
    def ctl(self):
        """The control (unixctl) socket."""
        return self.sock(self.name + ".ctl")

    def start(self, timeout=10.0):
        self._prepare()
        argv = self._argv()
        self._output = open(self.output_path, "w")
        env = dict(os.environ, WEFT_RUNDIR=self.sockdir,
                   WEFT_LOGDIR=self.workdir, OVS_RUNDIR=self.sockdir,
                   OVS_LOGDIR=self.workdir, OVS_DBDIR=self.workdir)
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self._output,
                                     stderr=subprocess.STDOUT, env=env,
                                     cwd=self.workdir)
        try:
            for path in self._ready_sockets():
                wait_for_unix_socket(path, self.proc, timeout)
        except AssertionError as e:
            self.stop(check=False)
            raise AssertionError("%s failed to start: %s\n%s"
                                 % (self.name, e, self.output()))
        return self

    def output(self):
        """Everything the daemon has printed so far."""
        try:
            with open(self.output_path) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self, timeout=5.0, check=True):
        """Stops the daemon by PID: SIGTERM, then SIGKILL after 'timeout'
        seconds.  With 'check', raises AssertionError if the daemon's output
        contains a sanitizer report.  Returns its exit status."""
        status = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            status = self.proc.returncode
            self.proc = None
        if self._output is not None:
            self._output.close()
            self._output = None
        shutil.rmtree(self.sockdir, ignore_errors=True)
        if check:
            out = self.output()
            for marker in SANITIZER_MARKERS:
                if marker in out:
                    raise AssertionError("%s: sanitizer report:\n%s"
                                         % (self.name, out))
        return status

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop(check=exc[0] is None)

    def _prepare(self):
        pass

    def _argv(self):
        raise NotImplementedError

    def _ready_sockets(self):
        return [self.ctl]


@contextlib.contextmanager
def running(*daemons):
    """Starts 'daemons' in order and stops them all when the block ends,
    also when a later one fails to start; then raises AssertionError if
    any of them left a sanitizer report.  For module fixtures that keep a
    real server and a weft one:

        with weftlib.running(OvsdbServer(...), WeftDb(...)) as (real, weft):
            yield real, weft
    """
    started = []
    try:
        for daemon in daemons:
            daemon.start()
            started.append(daemon)
        yield daemons
    except BaseException:
        for daemon in started:
            daemon.stop(check=False)
        raise
    stop_all(started)


def stop_all(daemons):
    """Stops every daemon in 'daemons', then raises AssertionError with
    the sanitizer reports of those that left one."""
    errors = []
    for daemon in daemons:
        try:
            daemon.stop()
        except AssertionError as e:
            errors.append(str(e))
    assert not errors, "\n".join(errors)


class _OvsdbDaemon(Daemon):
    """Common parts of WeftDb and OvsdbServer: one process serving several
    database files, each database reachable on every remote.  'schemas'
    maps short names ("nb") to schema files; each gets a unix socket
    "<name>.sock" for OVN-tool familiarity, as the sandbox does."""

    def __init__(self, workdir, schemas=None, extra_args=()):
        super().__init__(workdir)
        self.schemas = dict(schemas or DEFAULT_SCHEMAS)
        self.extra_args = list(extra_args)

    def db_file(self, name):
        return os.path.join(self.workdir, name + ".db")

    def remote(self, name=None):
        """The "unix:PATH" remote for database 'name' (default: the
        first)."""
        name = name or next(iter(self.schemas))
        return "unix:" + self.sock(name + ".sock")

    def _create(self, db, schema):
        raise NotImplementedError

    def _prepare(self):
        for name, schema in self.schemas.items():
            db = self.db_file(name)
            if not os.path.exists(db):
                self._create(db, schema)

    def _remote_args(self):
        return ["--remote=punix:" + self.sock(name + ".sock")
                for name in self.schemas]

    def _ready_sockets(self):
        return [self.sock(name + ".sock") for name in self.schemas]

    def client(self, *args, db=None, check=True, timeout=60):
        """Runs ovsdb-client COMMAND [ARGS] against this server:
        client("list-dbs") or client("transact", txn)."""
        args = list(args)
        return ovsdb_client(args[0], self.remote(db), *args[1:],
                            check=check, timeout=timeout)


class WeftDb(_OvsdbDaemon):
    """weft-db serving database files made with "weft-db create"."""

    name = "weft-db"

    def __init__(self, workdir, schemas=None, extra_args=()):
        self.binary = need_weft_db()
        super().__init__(workdir, schemas, extra_args)

    def _create(self, db, schema):
        run([self.binary, "create", db, schema])

    def _argv(self):
        return ([self.binary, "--unixctl=" + self.ctl]
                + self._remote_args() + self.extra_args
                + [self.db_file(name) for name in self.schemas])

    def appctl(self, *args, check=True, timeout=60):
        """Runs weft-appctl against this weft-db's control socket."""
        tool = need_weft_appctl()
        return run([tool, "-t", self.ctl] + list(args), check=check,
                   timeout=timeout)


class OvsdbServer(_OvsdbDaemon):
    """The real ovsdb-server, serving files made with "ovsdb-tool create"
    (the peer in interop tests and benchmarks)."""

    name = "ovsdb-server"

    def __init__(self, workdir, schemas=None, extra_args=()):
        self.binary = need_tool("ovsdb-server")
        self.tool = need_tool("ovsdb-tool")
        super().__init__(workdir, schemas, extra_args)

    def _create(self, db, schema):
        run([self.tool, "create", db, schema])

    def _argv(self):
        return ([self.binary, "--no-chdir", "--unixctl=" + self.ctl,
                 "--log-file=" + os.path.join(self.workdir,
                                              "ovsdb-server.log")]
                + self._remote_args() + self.extra_args
                + [self.db_file(name) for name in self.schemas])

    def appctl(self, *args, check=True, timeout=60):
        """Runs ovs-appctl against this ovsdb-server."""
        tool = need_tool("ovs-appctl")
        return run([tool, "-t", self.ctl] + list(args), check=check,
                   timeout=timeout)


# --- Tiny synchronous JSON-RPC (RFC 7047) client, for tests that talk to
# --- a server directly over its socket.

import json as _json


class JsonRpcError(Exception):
    pass


class JsonRpcClient:
    """A minimal blocking JSON-RPC client over a unix or TCP socket.

        c = JsonRpcClient("unix:/tmp/x.sock")   # or "tcp:127.0.0.1:6641"
        c.call("list_dbs", [])                  # -> the whole reply dict
        c.transact("OVN_Northbound", {"op": "insert", ...})
        c.close()

    Notifications and "echo" requests from the server are handled (echo is
    answered, other notifications are queued in self.notifications)."""

    def __init__(self, remote, timeout=10.0):
        if remote.startswith("unix:"):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            addr = remote[5:]
        elif remote.startswith("tcp:"):
            host, port = remote[4:].rsplit(":", 1)
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            addr = (host, int(port))
        else:
            raise ValueError("bad remote %r" % remote)
        self.sock.settimeout(timeout)
        self.sock.connect(addr)
        self.buf = ""
        self.next_id = 0
        self.notifications = []
        self._decoder = _json.JSONDecoder()
        self._raw = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def send(self, msg):
        self.send_raw(_json.dumps(msg))

    def recv(self):
        """Returns the next complete JSON message.  Raises EOFError if the
        server closed the connection, socket.timeout on timeout."""
        while True:
            s = self.buf.lstrip()
            if s:
                try:
                    obj, end = self._decoder.raw_decode(s)
                    self.buf = s[end:]
                    return obj
                except ValueError:
                    pass
            data = self.sock.recv(1 << 20)
            if not data:
                raise EOFError("connection closed by server")
            self._raw += data
            try:
                text = self._raw.decode()
                self._raw = b""
            except UnicodeDecodeError:
                continue
            self.buf += text

    def call(self, method, params, timeout=None):
        """Sends a request and returns the reply (a dict with "result",
        "error", "id")."""
        self.next_id += 1
        rid = self.next_id
        self.send({"method": method, "params": params, "id": rid})
        if timeout is not None:
            self.sock.settimeout(timeout)
        while True:
            msg = self.recv()
            if msg.get("method") == "echo" and "id" in msg \
                    and msg["id"] is not None:
                self.send({"result": msg["params"], "error": None,
                           "id": msg["id"]})
                continue
            if msg.get("id") == rid and "method" not in msg:
                return msg
            self.notifications.append(msg)

    def transact(self, db, *ops, timeout=None):
        """Runs a "transact" and returns its reply's "result" (the list of
        operation results).  Raises JsonRpcError on a JSON-RPC error."""
        reply = self.call("transact", [db] + list(ops), timeout=timeout)
        if reply.get("error") is not None:
            raise JsonRpcError(reply["error"])
        return reply["result"]


def normalize_uuids(text, pattern=None):
    """Replaces every UUID in 'text' by <uuidN>, N counting distinct UUIDs
    in order of first appearance."""
    import re
    rx = re.compile(pattern or r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                               r"[0-9a-f]{4}-[0-9a-f]{12}")
    seen = {}

    def repl(m):
        u = m.group(0)
        if u not in seen:
            seen[u] = "<uuid%d>" % len(seen)
        return seen[u]
    return rx.sub(repl, text)
