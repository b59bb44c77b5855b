"""Persistence: SQLAlchemy 2.0 typed models, the engine/session factory, and queries.

Schema changes go through Alembic migrations in `configurator/store/migrations`.
"""

from .db import Database
from .models import (
    ApiToken,
    AuditEvent,
    Base,
    CatalogBlob,
    CatalogPublication,
    CatalogVersion,
    ConsentEvent,
    ExportBatch,
    ExportItem,
    Keyring,
    NoticeText,
    Order,
    OrderEvent,
    OutboxMessage,
    Preference,
    SavedDesign,
    ShareLink,
    StaffSession,
    StaffUser,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "CatalogBlob",
    "CatalogPublication",
    "Base",
    "CatalogVersion",
    "ConsentEvent",
    "Database",
    "ExportBatch",
    "ExportItem",
    "Keyring",
    "NoticeText",
    "Order",
    "OrderEvent",
    "OutboxMessage",
    "Preference",
    "SavedDesign",
    "ShareLink",
    "StaffSession",
    "StaffUser",
    "WebhookDelivery",
    "WebhookEndpoint",
]
