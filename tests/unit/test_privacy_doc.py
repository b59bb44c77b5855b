"""docs/PRIVACY.md quotes the notice shoppers see, word for word (with the default retention)."""

from __future__ import annotations

import re
from pathlib import Path

from configurator.config import Settings
from configurator.services.notices import NOTICES, notice

ROOT = Path(__file__).resolve().parents[2]


def test_the_privacy_page_quotes_the_current_notice():
    doc = (ROOT / "docs" / "PRIVACY.md").read_text(encoding="utf-8")
    quoted = re.search(
        r"<!-- notice:keep-designs -->\n```text\n(.*?)```\n<!-- /notice:keep-designs -->", doc, re.S
    ).group(1)
    current = notice("keep-designs", retention_days=Settings.retention_days)
    assert quoted == current.text
    assert f"The current version, {NOTICES['keep-designs'][0]}," in doc


def test_every_table_with_personal_data_is_in_the_privacy_page():
    from configurator.store import models

    doc = (ROOT / "docs" / "PRIVACY.md").read_text(encoding="utf-8")
    for table in (
        "keyring",
        "saved_design",
        "share_link",
        "consent_event",
        "outbox_message",
        "preference",
        "customer_order",
        "export_batch",
        "staff_user",
    ):
        assert f"| `{table}` |" in doc, table
        model = next(m for m in vars(models).values() if getattr(m, "__tablename__", None) == table)
        assert "Purpose" in model.__doc__ or "purpose" in model.__doc__, table
        assert "Retention:" in model.__doc__, table
