"""The shared pieces of the services: the Changes record and the input checks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from callmaster_desktop.errors import ValidationError
from callmaster_desktop.services.changes import ChangeLog, Changes, Kind, Ref
from callmaster_desktop.services.validation import (
    aware_time,
    colour,
    join_words,
    non_negative_decimal,
    non_negative_int,
    optional_email,
    optional_text,
    plural,
    required_text,
    time_order,
)

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_a_change_log_lists_each_row_once_in_its_final_state() -> None:
    log = ChangeLog()
    log.created(Kind.SHOW, A)
    log.created(Kind.SCRIPT, B)
    log.updated(Kind.SHOW, A)  # created then changed: still just created
    log.updated(Kind.VENUE, C)
    log.updated(Kind.VENUE, C)
    log.created(Kind.ELEMENT, C)
    log.deleted(Kind.ELEMENT, C)  # created then deleted: never there
    log.deleted(Kind.SCRIPT, A)
    changes = log.freeze()
    assert changes.created == (Ref(Kind.SHOW, A), Ref(Kind.SCRIPT, B))
    assert changes.updated == (Ref(Kind.VENUE, C),)
    assert changes.deleted == (Ref(Kind.SCRIPT, A),)
    assert changes.created_id(Kind.SHOW) == A
    assert changes.touches(Kind.VENUE) and not changes.touches(Kind.RUN, Kind.ELEMENT)
    assert changes.created == ((Kind.SHOW, A), ("script", B))  # plain tuples compare equal
    with pytest.raises(LookupError):
        changes.created_id(Kind.VENUE)


def test_changes_combine_and_are_false_when_empty() -> None:
    first = Changes(created=(Ref(Kind.PERSON, A),))
    second = Changes(updated=(Ref(Kind.PERSON, A), Ref(Kind.CREW_RELATIONSHIP, B)))
    both = first | second
    assert both.created == (Ref(Kind.PERSON, A),)
    assert both.updated == (Ref(Kind.CREW_RELATIONSHIP, B),)
    assert not Changes() and both


def test_text_checks_trim_and_name_what_is_wrong() -> None:
    assert required_text("The show", "  Macbeth ", 10) == "Macbeth"
    with pytest.raises(ValidationError, match=r"^The show needs a name\.$"):
        required_text("The show", " ", 10)
    with pytest.raises(ValidationError, match=r"^The person needs an email\.$"):
        required_text("The person", None, 10, field="email")
    with pytest.raises(ValidationError, match='name "Macbeth, the" is 12 characters long'):
        required_text("The show", "Macbeth, the", 10)
    assert optional_text("The show", "  ", 10, field="notes") is None
    assert optional_text("The show", "x" * 500, None, field="notes") == "x" * 500


def test_colours_emails_and_numbers() -> None:
    assert colour("The department", "ffcc00") == "#FFCC00"
    assert colour("The department", " #00aaFF ") == "#00AAFF"
    assert colour("The department", "", default="#808080") == "#808080"
    for bad in ("red", "#FFF", "#GGGGGG", "#FFCC0000"):
        with pytest.raises(ValidationError, match="is not a colour code"):
            colour("The department", bad)
    assert optional_email("The person", " a.b@example.org ") == "a.b@example.org"
    assert optional_email("The person", "") is None
    for bad in ("a@b", "a b@example.org", "@example.org", "a@example."):
        with pytest.raises(ValidationError, match="does not look like an email"):
            optional_email("The person", bad)
    assert non_negative_int("The venue", 0, field="capacity") == 0
    with pytest.raises(ValidationError):
        non_negative_int("The venue", True, field="capacity")  # type: ignore[arg-type]
    assert non_negative_decimal("The venue", "12.345", field="rate") == Decimal("12.35")
    assert non_negative_decimal("The venue", " ", field="rate") is None
    with pytest.raises(ValidationError, match="must be a number, 0 or more"):
        non_negative_decimal("The venue", "NaN", field="rate")


def test_times_need_a_zone_and_an_order() -> None:
    start = datetime(2027, 3, 12, 19, 30, tzinfo=UTC)
    assert aware_time("The show", start, field="end") == start
    with pytest.raises(ValidationError, match="The show's end has no time zone"):
        aware_time("The show", datetime(2027, 3, 12), field="end")
    time_order("The show", start, None, start_field="first performance", end_field="end")
    with pytest.raises(ValidationError, match="The show's end comes before its first"):
        time_order(
            "The show",
            start,
            start.replace(day=11),
            start_field="first performance",
            end_field="end",
        )


def test_words() -> None:
    assert [plural(1, "cue"), plural(2, "cue"), plural(0, "person", "people")] == [
        "1 cue",
        "2 cues",
        "0 people",
    ]
    assert [join_words([]), join_words(["a"]), join_words(["a", "b", "c"])] == [
        "",
        "a",
        "a, b and c",
    ]
