"""The audit log: who looked at an order's personal data or changed something, and when.

`record` writes in the caller's session, so the entry commits with the change it describes
(or, for a view, with nothing else). It stores ids, numbers and statuses, never the
personal data itself: a name, address or e-mail seen is logged as "order.viewed".
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from configurator.store import AuditEvent

# the keys a detail may carry: none of them holds personal data
DETAIL_KEYS = frozenset(
    {
        "from",
        "to",
        "number",
        "batch",
        "status",
        "count",
        "format",
        "carrier",
        "endpoint",
        "events",
        "role",
        "email_domain",
        "token",
        "reason_given",
        "file",
    }
)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    order_id: int | None = None,
    detail: dict | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Add one audit entry to `session`; `actor` is "staff:<id>", "token:<id>" or "cli"."""
    unknown = set(detail or ()) - DETAIL_KEYS
    if unknown:  # a new key must be added above, after checking it holds no personal data
        raise ValueError(f"audit detail keys not allowed: {sorted(unknown)}")
    entry = AuditEvent(
        at=now or datetime.now(UTC), actor=actor, action=action, order_id=order_id, detail=detail
    )
    session.add(entry)
    return entry
