"""The call plan: which cues one GO calls together, labels, acts, jump targets."""

from __future__ import annotations

from callmaster_desktop.calling.plan import CallPlan
from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from tests.support.calling_plans import FLY, LX, SQ, Sketch


def _moments(plan: CallPlan) -> list[list[str]]:
    out: list[list[str]] = []
    for cue in plan.cues:
        first, _ = plan.moment_span(cue.index)
        if first == cue.index:
            out.append([])
        out[-1].append(cue.label)
    return out


def test_cues_sharing_an_offset_are_one_moment_and_notes_do_not_separate_them() -> None:
    s = Sketch()
    s.cue(LX, "1", "0:00")
    s.note("Actor enters SL", "0:00")
    s.cue(SQ, "1", "0:00")
    s.cue(FLY, "1", "0:05")
    s.cue(LX, "2", "0:10")
    s.cue(SQ, "2", "0:05")  # same offset as FLY 1 but separated by LX 2
    assert _moments(s.plan()) == [["LX 1", "SQ 1"], ["FLY 1"], ["LX 2"], ["SQ 2"]]


def test_a_fires_together_group_is_one_moment_whatever_the_offsets() -> None:
    s = Sketch()
    s.cue(LX, "1", "1:00")
    storm = s.group("Storm", together=True)
    s.cue(LX, "2", "1:00", parent=storm)
    inner = s.group("Thunder", parent=storm)
    s.cue(SQ, "1", "1:02", parent=inner)
    s.cue(FLY, "1", "1:05", parent=storm)
    s.cue(LX, "3", "1:05")  # same offset as FLY 1, but outside the group
    plan = s.plan()
    assert _moments(plan) == [["LX 1"], ["LX 2", "SQ 1", "FLY 1"], ["LX 3"]]
    assert {c.together_id for c in plan.cues[1:4]} == {storm}


def test_two_fires_together_groups_in_a_row_are_two_moments() -> None:
    s = Sketch()
    a = s.group("A", together=True)
    s.cue(LX, "1", "1:00", parent=a)
    b = s.group("B", together=True)
    s.cue(LX, "2", "1:00", parent=b)
    assert _moments(s.plan()) == [["LX 1"], ["LX 2"]]


def test_labels_acts_and_where_a_jump_lands() -> None:
    s = Sketch()
    pre = s.group("Pre-show")
    s.cue(LX, "1", "-30:00", parent=pre)
    act1 = s.group("Act 1")
    scene = s.group("Scene 1", parent=act1)
    places = s.note("Places", "0:00", parent=scene)
    lx2 = s.cue(LX, "2", "0:00", parent=scene)
    s.cue(SQ, "12.5", "0:05")
    empty = s.group("Post-show")
    plan = s.plan(script_name="Tech")
    assert [c.label for c in plan.cues] == ["LX 1", "LX 2", "SQ 12.5"]
    assert [a.name for a in plan.acts] == ["Pre-show", "Act 1", "Post-show"]
    assert [plan.act_name(c.act_id) for c in plan.cues] == ["Pre-show", "Act 1", ""]
    assert plan.cue_index_for(act1) == 1 and plan.cue_index_for(scene) == 1
    assert plan.cue_index_for(places) == 1 and plan.cue_index_for(lx2) == 1
    assert plan.cue_index_for(empty) is None
    assert plan.is_cue(lx2) and not plan.is_cue(places) and not plan.is_cue(act1)
    assert plan.cue_by_label("SQ 12.5") is plan.cues[2]
    assert plan.script_name == "Tech"


def test_a_cue_without_a_number_or_department_still_has_a_label() -> None:
    rows = [
        ElementData(ElementType.CUE, "Blackout", 0, department_id=LX),
        ElementData(ElementType.CUE, "Mystery", 5, cue_number="7"),
    ]
    plan = CallPlan.from_elements(rows, {LX: "LX"})
    assert [c.label for c in plan.cues] == ["LX", "7"]
    assert [c.department for c in plan.cues] == ["LX", ""]
