"""Export files hold delivery details: `privacy purge` removes them EXPORT_RETENTION_DAYS
after their batch was made (both databases); the batch and its orders stay, a download
then says why it is gone, and files a newer batch still names are kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from configurator.services import exports, saving
from tests.integration.test_orders import NOW, place


def test_old_batches_lose_their_files_and_say_why(ctx, tmp_path):
    place(ctx, tmp_path, key="k-old")
    old = exports.create_batch(ctx, status="awaiting_payment", actor="cli", now=NOW)
    place(ctx, tmp_path, key="k-new")
    later = NOW + timedelta(days=60)
    new = exports.create_batch(ctx, status="awaiting_payment", actor="cli", now=later)
    stored = {name: ctx.files.exists(name) for name in old.files.values()}
    assert all(stored.values())
    just_before = NOW + timedelta(days=90)
    assert exports.expire_files(ctx, now=just_before) == 0
    assert exports.batch_file(ctx, old.ref, "orders.csv")
    assert exports.expire_files(ctx, now=just_before + timedelta(seconds=1)) == 1
    assert not any(ctx.files.exists(name) for name in old.files.values())
    with pytest.raises(exports.Expired, match="90 days"):
        exports.batch_file(ctx, old.ref, "orders.csv")
    with pytest.raises(saving.NotFound):
        exports.batch_file(ctx, old.ref, "other.csv")
    assert exports.batch_file(ctx, new.ref, "orders.csv")  # the newer batch keeps its own
    assert exports.batch(ctx, old.ref).count == 1  # the batch and its order stay
    assert exports.expire_files(ctx, now=just_before + timedelta(days=1)) == 0  # once
