"""Server mode on the real PostgreSQL server: accounts, roles on every route, CSRF, throttling,
the audit log, and the admin command. Each test gets its own schema in the session database."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fastapi.testclient import TestClient
from tests.web.conftest import build_workspace

from mieruka.cli.serve_cmd import serve
from mieruka.core.project import Project
from mieruka.web.app import ServerModeError, create_app
from mieruka.web.security import walk_routes

pytestmark = pytest.mark.postgres
PASSWORD = "correct horse battery"
ROLES = ("viewer", "editor", "verifier", "admin")
# what each permission lets through; everything else must be refused
ALLOWED = {
    "public": set(ROLES),
    "read": set(ROLES),
    "load": {"editor", "admin"},
    "run": {"editor", "admin"},
    "signoff": {"verifier", "admin"},
    "admin": {"admin"},
}
# concrete values for path parameters when walking the routes
SAMPLE = {
    "{indicator}": "t.female_managers",
    "{run_id}": "2",
    "{fmt}": "csv",
    "{rule}": "t.leaver_still_manager",
}


@pytest.fixture
def schema_url(pg_url: str) -> str:
    schema = f"w_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return f"{pg_url}?options=-csearch_path%3D{schema}"


@pytest.fixture
def server_project(tmp_path: Path, schema_url: str) -> Iterator[Project]:
    project = build_workspace(tmp_path, schema_url)
    app = create_app(project, server=True)
    accounts = app.state.web.accounts
    for role in ROLES:
        accounts.create_user(role, PASSWORD, role, actor="test")
    yield project
    project.close()


def new_client(project: Project) -> TestClient:
    return TestClient(create_app(project, server=True), base_url="https://testserver")


def csrf_of(client: TestClient) -> str:
    token: str = client.get("/api/v1/me").json()["csrf_token"]
    return token


def logged_in(project: Project, role: str) -> TestClient:
    client = new_client(project)
    response = client.post(
        "/login",
        data={"username": role, "password": PASSWORD, "csrf": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def test_server_mode_refuses_a_sqlite_store(local_project: Project) -> None:
    with pytest.raises(ServerModeError, match="PostgreSQL"):
        create_app(local_project, server=True)


def test_without_a_session_pages_redirect_to_login_and_the_api_says_401(
    server_project: Project,
) -> None:
    client = new_client(server_project)
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    api = client.get("/api/v1/overview")
    assert api.status_code == 401
    assert api.json() == {"code": "unauthenticated", "message": "log in first"}


def test_session_cookie_is_httponly_secure_and_strict(server_project: Project) -> None:
    client = new_client(server_project)
    response = client.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "csrf": csrf_of(client)},
        follow_redirects=False,
    )
    cookie = next(c for c in response.headers.get_list("set-cookie") if "mieruka_session" in c)
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    assert "40.0%" in client.get("/").text


def _routes(project: Project) -> list[tuple[str, str, str]]:
    app = create_app(project, server=True)
    out = []
    for path, methods, permission in walk_routes(app.router.routes):
        if path.startswith("/static") or path.endswith("openapi.json"):
            continue
        assert permission is not None, f"{path} declares no permission"
        concrete = path
        for key, value in SAMPLE.items():
            concrete = concrete.replace(key, value)
        assert "{" not in concrete, f"no sample value for a parameter of {path}"
        out.extend((m, concrete, permission) for m in sorted(methods - {"HEAD"}))
    return out


def test_every_route_enforces_its_role(server_project: Project) -> None:
    routes = _routes(server_project)
    assert len(routes) > 20
    anonymous = new_client(server_project)
    for method, path, permission in routes:
        if permission != "public":
            response = anonymous.request(method, path, follow_redirects=False)
            assert response.status_code in (303, 401, 403), (method, path)
    for role in ROLES:
        client = logged_in(server_project, role)
        token = csrf_of(client)
        for method, path, permission in routes:
            if path in ("/logout", "/login") or (method == "POST" and path == "/runs"):
                continue  # would end the session / need form data; covered elsewhere
            headers = {"X-CSRF-Token": token}
            response = client.request(method, path, headers=headers, follow_redirects=False)
            refused = response.status_code == 403 and response.headers.get(
                "content-type", ""
            ).startswith(("application/json", "text/html"))
            if role in ALLOWED[permission]:
                assert not refused, (role, method, path, response.text[:200])
            else:
                assert refused, (role, method, path, response.status_code)


def test_every_state_change_needs_the_csrf_token(server_project: Project) -> None:
    client = logged_in(server_project, "admin")
    for method, path, _ in _routes(server_project):
        if method == "GET":
            continue
        response = client.request(method, path, follow_redirects=False)
        assert response.status_code == 403, (method, path)
        wrong = client.request(
            method, path, headers={"X-CSRF-Token": "0" * 64}, follow_redirects=False
        )
        assert wrong.status_code == 403, (method, path)
        assert "csrf" in wrong.text


def test_editor_starts_a_run_and_verifier_signs_it_off_both_audited(
    server_project: Project,
) -> None:
    editor = logged_in(server_project, "editor")
    created = editor.post(
        "/api/v1/runs", json={"fy": 2024}, headers={"X-CSRF-Token": csrf_of(editor)}
    )
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    verifier = logged_in(server_project, "verifier")
    signed = verifier.post(
        f"/runs/{run_id}/signoff", data={"csrf": csrf_of(verifier)}, follow_redirects=False
    )
    assert signed.status_code == 303
    page = verifier.get(f"/runs/{run_id}").text
    assert "verifier" in page
    log = [(e["actor"], e["action"], e["target"]) for e in server_project.store.audit_log()]
    assert ("editor", "run.start", f"run:{run_id}") in log
    assert ("verifier", "run.signoff", f"run:{run_id}") in log
    assert ("test", "user.create", "user:viewer") in log


def test_editor_loads_a_file_viewer_and_verifier_may_not_and_the_load_is_audited(
    server_project: Project,
) -> None:
    from tests.conftest import STAFF_CSV

    files = {"file": ("staff.csv", (STAFF_CSV + "S10,F,営業,2024-04-01,,×,\n").encode())}
    for role in ("viewer", "verifier"):
        client = logged_in(server_project, role)
        refused = client.post(
            "/datasets/load", data={"dataset": "staff", "csrf": csrf_of(client)}, files=files
        )
        assert refused.status_code == 403, role
        assert 'action="/datasets/load"' not in client.get("/datasets").text
    editor = logged_in(server_project, "editor")
    assert 'action="/datasets/load"' in editor.get("/datasets").text
    loaded = editor.post(
        "/datasets/load",
        data={"dataset": "staff", "csrf": csrf_of(editor)},
        files=files,
        follow_redirects=False,
    )
    assert loaded.status_code == 303, loaded.text
    current = server_project.store.latest_snapshots()["staff"]
    entry = server_project.store.audit_log()[-1]
    assert (entry["actor"], entry["action"], entry["after_hash"]) == (
        "editor", "dataset.load", current.hash
    )  # fmt: skip


def test_pack_pages_are_guarded_like_every_page(server_project: Project) -> None:
    paths = [p for p, _, _ in walk_routes(create_app(server_project, server=True).router.routes)]
    assert "/packs/human_capital/survey" in paths and "/api/v1/packs/sll/index" in paths
    anonymous = new_client(server_project)
    assert anonymous.get("/packs/sll", follow_redirects=False).status_code == 303
    assert anonymous.get("/api/v1/packs/sll/index").status_code == 401
    viewer = logged_in(server_project, "viewer")
    assert viewer.get("/packs/human_capital/survey").status_code == 200


def test_admin_manages_users_and_the_change_is_audited(server_project: Project) -> None:
    admin = logged_in(server_project, "admin")
    token = csrf_of(admin)
    data = {"username": "新人", "password": "long enough pw", "role": "viewer", "csrf": token}
    assert admin.post("/admin/users", data=data, follow_redirects=False).status_code == 303
    data = {"username": "新人", "role": "editor", "csrf": token}
    assert admin.post("/admin/users/role", data=data, follow_redirects=False).status_code == 303
    assert "新人" in admin.get("/admin/users").text
    short = {"username": "x", "password": "short", "role": "viewer", "csrf": token}
    assert admin.post("/admin/users", data=short).status_code == 400
    audit = admin.get("/admin/audit").text
    assert "user.role" in audit and "role=viewer-&gt;editor" in audit


def test_logins_are_throttled_after_five_failures(server_project: Project) -> None:
    client = new_client(server_project)
    token = csrf_of(client)
    bad = {"username": "viewer", "password": "wrong password", "csrf": token}
    assert [client.post("/login", data=bad).status_code for _ in range(5)] == [401] * 5
    good = {"username": "viewer", "password": PASSWORD, "csrf": token}
    assert client.post("/login", data=good).status_code == 429
    actions = [e["action"] for e in server_project.store.audit_log()]
    assert actions.count("login.failed") == 5 and "login.throttled" in actions


def test_logout_ends_the_session_on_the_server(server_project: Project) -> None:
    client = logged_in(server_project, "viewer")
    stolen = client.cookies.get("mieruka_session")
    client.post("/logout", data={"csrf": csrf_of(client)})
    replay = new_client(server_project)
    replay.cookies.set("mieruka_session", str(stolen))
    assert replay.get("/api/v1/overview").status_code == 401


def test_passwords_are_stored_as_argon2_hashes(server_project: Project) -> None:
    with server_project.store.engine.begin() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM web_users")).scalars().all()
    assert all(re.match(r"^\$argon2id\$", h) for h in stored)
    assert not any(PASSWORD in h for h in stored)


def test_create_admin_command(tmp_path: Path, schema_url: str) -> None:
    project = build_workspace(tmp_path, schema_url)
    project.close()
    result = CliRunner().invoke(
        serve,
        ["--create-admin", "root"],
        obj={"workspace": tmp_path / "ws"},
        env={"MIERUKA_ADMIN_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    reopened = Project.open(tmp_path / "ws")
    try:
        assert logged_in(reopened, "root").get("/admin/users").status_code == 200
    finally:
        reopened.close()


def test_local_mode_refuses_to_listen_beyond_loopback(local_project: Project) -> None:
    result = CliRunner().invoke(
        serve, ["--host", "0.0.0.0"], obj={"workspace": local_project.ws.root}
    )
    assert result.exit_code == 2
    assert "127.0.0.1" in result.output


def test_cached_pages_keep_each_readers_role_and_csrf_token(server_project: Project) -> None:
    """The overview is rendered once per role and served to every session of that role,
    each page with its reader's own CSRF token; the session is still checked each time."""
    app = create_app(server_project, server=True)

    def login(role: str) -> TestClient:
        client = TestClient(app, base_url="https://testserver")
        form = {"username": role, "password": PASSWORD, "csrf": csrf_of(client)}
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303
        return client

    def token_in(page: str) -> str:
        found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
        assert found, "no CSRF field in the page"
        return found.group(1)

    first, second, admin = login("viewer"), login("viewer"), login("admin")
    pages = {name: c.get("/").text for name, c in (("1", first), ("2", second), ("a", admin))}
    assert "viewer (viewer)" in pages["1"] and "/admin/users" not in pages["1"]
    assert "admin (admin)" in pages["a"] and "/admin/users" in pages["a"]
    assert token_in(pages["1"]) == csrf_of(first) != token_in(pages["2"]) == csrf_of(second)
    assert token_in(pages["a"]) == csrf_of(admin)
    # apart from the token the two viewers get the same page
    assert pages["1"].replace(token_in(pages["1"]), "") == pages["2"].replace(
        token_in(pages["2"]), ""
    )
    # the token in the cached page works, and after logout the cached page is not served
    out = first.post("/logout", data={"csrf": token_in(first.get("/").text)})
    assert out.status_code == 200 and out.url.path == "/login"
    assert first.get("/", follow_redirects=False).status_code == 303
    assert "viewer (viewer)" in second.get("/").text
