"""Persistence: SQLAlchemy 2.0 typed models, the engine/session factory, and queries.

Schema changes go through Alembic migrations in `configurator/store/migrations`.
"""

from .db import Database
from .models import (
    Base,
    CatalogVersion,
    ConsentEvent,
    Keyring,
    NoticeText,
    Order,
    OrderEvent,
    OutboxMessage,
    Preference,
    SavedDesign,
    ShareLink,
)

__all__ = [
    "Base",
    "CatalogVersion",
    "ConsentEvent",
    "Database",
    "Keyring",
    "NoticeText",
    "Order",
    "OrderEvent",
    "OutboxMessage",
    "Preference",
    "SavedDesign",
    "ShareLink",
]
