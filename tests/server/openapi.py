"""The routes of the server's OpenAPI document, for tests that must cover every one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from eolcare.server.app import create_app
from eolcare.server.config import Settings


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # the template, e.g. /v1/teams/{team_id}
    protected: bool  # the document asks for a bearer token
    body_fields: tuple[str, ...]  # top-level fields of the JSON body; () for no body
    has_body: bool

    def url(self) -> str:
        """The path with a made-up UUID for each parameter."""
        out = self.path
        while "{" in out:
            start, end = out.index("{"), out.index("}")
            out = out[:start] + str(uuid.uuid4()) + out[end + 1:]
        return out

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _schema(doc: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in ref:
        name = ref["$ref"].rsplit("/", 1)[1]
        return doc["components"]["schemas"][name]  # type: ignore[no-any-return]
    return ref


def routes(doc: dict[str, Any] | None = None) -> list[Route]:
    """Every operation of the document (by default the app's own, built offline)."""
    if doc is None:
        doc = create_app(Settings(database_url="sqlite:////nonexistent/never-opened.db")).openapi()
    found = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            body = op.get("requestBody")
            fields: tuple[str, ...] = ()
            if body is not None:
                schema = _schema(doc, body["content"]["application/json"]["schema"])
                fields = tuple(schema.get("properties", {}))
            found.append(Route(method.upper(), path, bool(op.get("security")), fields,
                               body is not None))
    return found


ROUTES = routes()

