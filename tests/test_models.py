"""Model behaviour that every database must agree on."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Feedback
from tests.factories import make_feedback


def reload(item):
    db.session.expire_all()
    return db.session.get(type(item), item.id)


def test_created_at_reads_back_aware_utc_with_microseconds(app):
    with app.app_context():
        moment = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
        item = reload(make_feedback(created_at=moment))
        assert item.created_at == moment
        assert item.created_at.tzinfo is not None
        assert item.created_at.utcoffset() == timedelta(0)


def test_default_created_at_is_now_in_utc(app):
    with app.app_context():
        before = datetime.now(UTC)
        item = reload(make_feedback())
        assert before - timedelta(seconds=1) <= item.created_at <= datetime.now(UTC)


def test_other_offsets_are_stored_as_the_same_instant(app):
    with app.app_context():
        local = datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
        item = reload(make_feedback(created_at=local))
        assert item.created_at == local
        assert item.created_at.hour == 6 and item.created_at.minute == 30


def test_naive_datetimes_are_refused(app):
    with app.app_context(), pytest.raises(sa.exc.StatementError, match="naive datetime"):
        make_feedback(created_at=datetime(2026, 1, 1))
    with app.app_context():
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 0
