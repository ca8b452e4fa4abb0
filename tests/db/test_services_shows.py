"""Shows: create with a first script, change, list, count and delete everything they hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select
from support.atomicity import assert_all_or_nothing, hows
from support.faults import count_statements, dump_tables

from callmaster_desktop.db.engine import Database
from callmaster_desktop.db.integrity import check_database
from callmaster_desktop.db.models import (
    CrewAssignment,
    CueCall,
    Department,
    Element,
    Person,
    Run,
    RunHold,
    Script,
    ScriptRevision,
    Show,
    Venue,
)
from callmaster_desktop.domain.enums import CallOutcome, ElementType, ScriptStatus
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.profile import ensure_profile
from callmaster_desktop.sample import load_sample_show, sample_show_data
from callmaster_desktop.services.changes import Kind
from callmaster_desktop.services.shows import (
    ShowData,
    create_show,
    delete_show,
    get_show,
    list_shows,
    show_deletion_summary,
    update_show,
)
from callmaster_desktop.services.venues import VenueData, create_venue

EST = timezone(timedelta(hours=-5))
OPENING = datetime(2027, 3, 12, 19, 30, tzinfo=EST)
CLOSING = datetime(2027, 4, 4, 22, 0, tzinfo=EST)


def _venue(db: Database, owner_id: uuid.UUID, name: str = "The Old Vic") -> uuid.UUID:
    return create_venue(db, owner_id, VenueData(name=name)).created_id(Kind.VENUE)


def test_a_new_show_gets_an_empty_first_draft(db: Database, owner: Person) -> None:
    venue_id = _venue(db, owner.id)
    data = ShowData("  Hamlet ", venue_id, OPENING, CLOSING, notes=" Spring run ")
    changes = create_show(db, owner.id, data)
    show_id = changes.created_id(Kind.SHOW)
    script_id = changes.created_id(Kind.SCRIPT)
    assert not changes.updated and not changes.deleted
    show = get_show(db, owner.id, show_id)
    assert (show.name, show.venue_name, show.data.notes) == ("Hamlet", "The Old Vic", "Spring run")
    assert show.data.first_performance == OPENING and show.data.end == CLOSING
    (script,) = show.scripts
    assert (script.id, script.name, script.status) == (script_id, "First Draft", ScriptStatus.DRAFT)
    assert (script.start_time, script.end_time, script.version) == (OPENING, CLOSING, 1)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Element)) == 0
        assert s.scalars(select(Script.updated_by_id)).one() == owner.id


def test_a_show_without_dates_gets_an_unplanned_first_draft(db: Database, owner: Person) -> None:
    show_id = create_show(db, owner.id, ShowData("Lear")).created_id(Kind.SHOW)
    (script,) = get_show(db, owner.id, show_id).scripts
    assert script.start_time is None and script.end_time is None
    assert get_show(db, owner.id, show_id).venue_name is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ShowData(""), "The show needs a name."),
        (ShowData("M" * 201), "at most 200 fit"),
        (ShowData("Macbeth", first_performance=CLOSING, end=OPENING), "end comes before"),
        (ShowData("Macbeth", deadline=datetime(2027, 3, 1)), "deadline has no time zone"),
        (ShowData("HAMLET"), 'You already have a show called "HAMLET".'),
    ],
)
def test_bad_show_input_is_refused_and_nothing_written(
    db: Database, owner: Person, data: ShowData, message: str
) -> None:
    create_show(db, owner.id, ShowData("Hamlet"))
    other = create_show(db, owner.id, ShowData("Othello")).created_id(Kind.SHOW)
    before = dump_tables(db)
    with pytest.raises(ValidationError, match=message):
        create_show(db, owner.id, data)
    with pytest.raises(ValidationError, match=message):
        update_show(db, owner.id, other, data)
    assert dump_tables(db) == before


def test_another_owners_show_and_venue_are_not_found(db: Database, owner: Person) -> None:
    stranger = ensure_profile(db, "someone-else")
    their_venue = _venue(db, stranger.id, "Their Place")
    mine = create_show(db, owner.id, ShowData("Hamlet")).created_id(Kind.SHOW)
    before = dump_tables(db)
    with pytest.raises(NotFoundError, match="not in your list of venues"):
        create_show(db, owner.id, ShowData("Lear", venue_id=their_venue))
    with pytest.raises(NotFoundError, match="not in your list of venues"):
        update_show(db, owner.id, mine, ShowData("Hamlet", venue_id=their_venue))
    for attempt in (
        partial(update_show, db, stranger.id, mine, ShowData("Stolen")),
        partial(delete_show, db, stranger.id, mine),
        partial(get_show, db, stranger.id, mine),
        partial(show_deletion_summary, db, stranger.id, mine),
        partial(delete_show, db, owner.id, uuid.uuid4()),
    ):
        with pytest.raises(NotFoundError, match="That show is not there"):
            attempt()
    assert dump_tables(db) == before
    assert list_shows(db, stranger.id) == []
    assert [s.name for s in list_shows(db, owner.id)] == ["Hamlet"]


def test_update_show_changes_only_what_differs(db: Database, owner: Person) -> None:
    venue_id = _venue(db, owner.id)
    show_id = create_show(db, owner.id, ShowData("Hamlet", None, OPENING, CLOSING)).created_id(
        Kind.SHOW
    )
    with count_statements(db) as counter:
        assert not update_show(db, owner.id, show_id, get_show(db, owner.id, show_id).data)
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in counter.statements)
    later = OPENING + timedelta(days=7)
    changes = update_show(db, owner.id, show_id, ShowData("Hamlet, Prince", venue_id, later))
    assert changes.updated == ((Kind.SHOW, show_id),)
    show = get_show(db, owner.id, show_id)
    assert (show.name, show.venue_name, show.data.first_performance) == (
        "Hamlet, Prince",
        "The Old Vic",
        later,
    )
    assert show.data.end is None
    assert show.scripts[0].start_time == OPENING  # the scripts keep their own plan


def test_list_shows_gives_venues_and_scripts_in_order(db: Database, owner: Person) -> None:
    venue_id = _venue(db, owner.id)
    create_show(db, owner.id, ShowData("othello"))
    hamlet = create_show(db, owner.id, ShowData("Hamlet", venue_id)).created_id(Kind.SHOW)
    with db.unit_of_work() as s:
        s.add(
            Script(
                show_id=hamlet,
                name="Tech",
                created_at=datetime.now(UTC) + timedelta(seconds=5),
            )
        )
    listed = list_shows(db, owner.id)
    assert [(s.name, s.venue_name) for s in listed] == [
        ("Hamlet", "The Old Vic"),
        ("othello", None),
    ]
    assert [sc.name for sc in listed[0].scripts] == ["First Draft", "Tech"]
    assert [sc.name for sc in listed[1].scripts] == ["First Draft"]


def _add_runs_and_revision(db: Database, show_id: uuid.UUID) -> None:
    """A performance with a hold and cue calls, and a saved revision, on the sample show."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        script_id = s.scalars(select(Script.id).where(Script.show_id == show_id)).one()
        cue = s.scalars(
            select(Element).where(
                Element.script_id == script_id, Element.element_type == ElementType.CUE
            )
        ).first()
        assert cue is not None
        run = Run(id=uuid.uuid4(), show_id=show_id, script_id=script_id, started_at=now)
        s.add(run)
        s.flush()
        s.add(RunHold(run_id=run.id, started_at=now, show_offset_ms=60_000, length_ms=30_000))
        s.add(
            CueCall(
                run_id=run.id,
                element_id=cue.id,
                cue_label="LX 1",
                planned_offset_ms=cue.offset_ms,
                outcome=CallOutcome.CALLED,
            )
        )
        s.add(ScriptRevision(script_id=script_id, number=1, script_version=1, summary="Saved"))


def _sample(db: Database, owner: Person) -> uuid.UUID:
    with db.unit_of_work() as s:
        show_id = load_sample_show(s, owner).id
    _add_runs_and_revision(db, show_id)
    return show_id


def _count(db: Database, model: Any, *where: Any) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_deletion_summary_counts_what_would_go(db: Database, owner: Person) -> None:
    show_id = _sample(db, owner)
    other = create_show(db, owner.id, ShowData("Hamlet")).created_id(Kind.SHOW)
    scripts = select(Script.id).where(Script.show_id == show_id)
    cues = _count(db, Element, Element.script_id.in_(scripts), Element.element_type == "cue")
    notes = _count(db, Element, Element.script_id.in_(scripts), Element.element_type == "note")
    groups = _count(db, Element, Element.script_id.in_(scripts), Element.element_type == "group")
    crew = _count(db, CrewAssignment, CrewAssignment.show_id == show_id)
    assert cues > 0 and notes > 0 and groups > 0 and crew > 0
    with count_statements(db) as counter:
        summary = show_deletion_summary(db, owner.id, show_id)
    assert counter.count == 1
    assert (summary.show_name, summary.scripts, summary.cues) == ("Macbeth", 1, cues)
    assert (summary.notes, summary.groups, summary.crew_assignments) == (notes, groups, crew)
    assert (summary.runs, summary.revisions) == (1, 1)
    assert summary.sentence == (
        f"1 script, {cues} cues, {notes} notes, {groups} groups, {crew} crew assignments, "
        "1 performance or rehearsal record, 1 saved revision"
    )
    assert summary.question.startswith('Delete "Macbeth" with its 1 script, ')
    assert summary.question.endswith(" and 1 saved revision?")
    empty = show_deletion_summary(db, owner.id, other)
    assert (empty.sentence, empty.question) == ("1 script", 'Delete "Hamlet" with its 1 script?')


def test_delete_show_removes_everything_that_hangs_off_it(db: Database, owner: Person) -> None:
    show_id = _sample(db, owner)
    keep = create_show(db, owner.id, ShowData("Hamlet")).created_id(Kind.SHOW)
    with db.reading() as s:
        script_ids = set(s.scalars(select(Script.id).where(Script.show_id == show_id)))
        assignment_ids = set(
            s.scalars(select(CrewAssignment.id).where(CrewAssignment.show_id == show_id))
        )
        run_ids = set(s.scalars(select(Run.id)))
    people, departments = _count(db, Person), _count(db, Department)
    changes = delete_show(db, owner.id, show_id)
    assert changes.deleted_ids(Kind.SHOW) == (show_id,)
    assert set(changes.deleted_ids(Kind.SCRIPT)) == script_ids
    assert set(changes.deleted_ids(Kind.CREW_ASSIGNMENT)) == assignment_ids
    assert set(changes.deleted_ids(Kind.RUN)) == run_ids
    assert not changes.created and not changes.updated
    for model in (Element, ScriptRevision, Run, RunHold, CueCall, CrewAssignment):
        assert _count(db, model) == 0, model.__name__
    assert [s.name for s in list_shows(db, owner.id)] == ["Hamlet"]
    assert check_database(db) == []
    assert get_show(db, owner.id, keep).scripts[0].name == "First Draft"
    # The venue, the departments and the crew stay.
    assert (_count(db, Person), _count(db, Department), _count(db, Venue)) == (
        people,
        departments,
        1,
    )


def test_delete_show_is_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    targets = {}
    for how in hows(backend):  # one sample show for each way of failing
        with db.unit_of_work() as s:
            targets[how] = load_sample_show(s, owner, _renamed(how)).id
        _add_runs_and_revision(db, targets[how])
    for how, show_id in targets.items():
        proof = assert_all_or_nothing(db, partial(delete_show, db, owner.id, show_id), how=how)
        # find the show; cue calls, holds, runs, revisions, elements, scripts, assignments, show
        assert proof.statements == 9
        assert proof.result.deleted_ids(Kind.SHOW) == (show_id,)
        assert _count(db, Show, Show.id == show_id) == 0
    assert _count(db, Element) == 0 and _count(db, CrewAssignment) == 0


def _renamed(how: str) -> dict[str, Any]:
    data = sample_show_data()
    data["show"]["name"] = f"Macbeth ({how})"
    return data


def test_create_show_is_all_or_nothing(db: Database, owner: Person, backend: str) -> None:
    venue_id = _venue(db, owner.id)
    for how in hows(backend):
        data = ShowData(f"Hamlet {how}", venue_id, OPENING, CLOSING)
        proof = assert_all_or_nothing(db, partial(create_show, db, owner.id, data), how=how)
        # the venue is mine, no show has the name, insert the show, insert its script
        assert proof.statements == 4
        show = get_show(db, owner.id, proof.result.created_id(Kind.SHOW))
        assert [s.name for s in show.scripts] == ["First Draft"]
