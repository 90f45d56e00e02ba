"""Accounts and sessions of server mode, kept in the workspace's PostgreSQL store.

The tables (`web_users`, `web_sessions`) are the web package's own and are created with
`metadata.create_all` beside the ledger tables: the ledger's Alembic migrations and the
test comparing them to `core.store.metadata` stay untouched. Passwords are hashed with
argon2id (argon2-cffi); a session cookie holds a random token of which only the SHA-256 is
stored, so a leaked table cannot be replayed. Every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mieruka.core.store import Store

ROLES: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "editor": frozenset({"read", "load", "run"}),
    "verifier": frozenset({"read", "signoff"}),
    "admin": frozenset({"read", "load", "run", "signoff", "admin"}),
}
SESSION_HOURS = 12
MIN_PASSWORD = 10

metadata = sa.MetaData()
users_table = sa.Table(
    "web_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sessions_table = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("web_users.id"), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user of server mode, or the one local user."""

    name: str
    role: str

    def can(self, permission: str) -> bool:
        return permission in ROLES.get(self.role, frozenset())


class AccountError(ValueError):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Accounts:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.hasher = PasswordHasher()
        metadata.create_all(store.engine)

    def create_user(self, name: str, password: str, role: str, actor: str) -> None:
        name = name.strip()
        if not name or len(name) > 100 or not name.isprintable():
            raise AccountError("a user name is 1 to 100 printable characters")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
        with self.store.engine.begin() as conn:
            exists = conn.execute(sa.select(users_table.c.id).where(users_table.c.name == name))
            if exists.first() is not None:
                raise AccountError(f"user '{name}' already exists")
            conn.execute(
                users_table.insert().values(
                    name=name,
                    password_hash=self.hasher.hash(password),
                    role=role,
                    created_at=_now(),
                )
            )
        self.store.audit(actor, "user.create", f"user:{name}", detail=f"role={role}")

    def set_role(self, name: str, role: str, actor: str) -> None:
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        with self.store.engine.begin() as conn:
            old = conn.execute(
                sa.select(users_table.c.role).where(users_table.c.name == name)
            ).scalar()
            if old is None:
                raise AccountError(f"no user '{name}'")
            conn.execute(users_table.update().where(users_table.c.name == name).values(role=role))
        self.store.audit(actor, "user.role", f"user:{name}", detail=f"role={old}->{role}")

    def users(self) -> list[dict[str, str]]:
        t = users_table
        with self.store.engine.begin() as conn:
            rows = conn.execute(sa.select(t.c.name, t.c.role).order_by(t.c.name)).all()
        return [{"name": r.name, "role": r.role} for r in rows]

    def authenticate(self, name: str, password: str) -> Principal | None:
        t = users_table
        with self.store.engine.begin() as conn:
            row = conn.execute(sa.select(t).where(t.c.name == name)).first()
        if row is None:
            self.hasher.hash(password)  # spend the same time as for a real user
            return None
        try:
            self.hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return Principal(row.name, row.role)

    def open_session(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        with self.store.engine.begin() as conn:
            user_id = conn.execute(
                sa.select(users_table.c.id).where(users_table.c.name == name)
            ).scalar_one()
            conn.execute(
                sessions_table.insert().values(
                    token_hash=_digest(token),
                    user_id=user_id,
                    expires_at=_now() + dt.timedelta(hours=SESSION_HOURS),
                )
            )
        return token

    def session_user(self, token: str | None) -> Principal | None:
        if not token or len(token) > 200:
            return None
        s, u = sessions_table, users_table
        query = (
            sa.select(u.c.name, u.c.role, s.c.expires_at)
            .join(u, u.c.id == s.c.user_id)
            .where(s.c.token_hash == _digest(token))
        )
        with self.store.engine.begin() as conn:
            row = conn.execute(query).first()
        if row is None or _aware(row.expires_at) < _now():
            return None
        return Principal(row.name, row.role)

    def close_session(self, token: str | None) -> None:
        if token:
            with self.store.engine.begin() as conn:
                conn.execute(
                    sessions_table.delete().where(sessions_table.c.token_hash == _digest(token))
                )


class Throttle:
    """At most `limit` failed logins per user name and per client address in `window` s."""

    def __init__(self, limit: int = 5, window: float = 900.0) -> None:
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.failures.setdefault(key, deque())
        while times and times[0] < now - self.window:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self.lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self.lock:
            for k in keys:
                self._recent(k, now).append(now)

    def clear(self, key: str) -> None:
        with self.lock:
            self.failures.pop(key, None)
