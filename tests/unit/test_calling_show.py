"""A whole three-hour show with twenty holds, in milliseconds of real time."""

from __future__ import annotations

from tests.support.calling_sim import HOUR, simulate_three_hour_show, three_hour_plan


def test_the_plan_is_a_three_hour_show() -> None:
    plan = three_hour_plan()
    assert len(plan) > 500
    assert plan.cues[0].offset_ms < 0 and plan.cues[-1].offset_ms > 2.9 * HOUR
    assert [a.name for a in plan.acts] == ["Pre-show", "Act 1", "Interval", "Act 2"]
    assert any(c.together_id is not None for c in plan.cues)


def test_over_three_hours_and_twenty_holds_the_show_clock_matches_the_clock_to_the_ms() -> None:
    plan = three_hour_plan()
    result = simulate_three_hour_show(plan)
    assert result.problems == []
    assert result.holds == 20 and result.safety_stops == 5
    assert result.calls == len(plan)
    assert result.checks > 1_000
    assert result.max_error_ms == 0
    # The injected clock ran the show time plus every hold, to the millisecond.
    assert result.elapsed_since_planned_start_ms == result.show_ms_at_end + result.total_hold_ms
    assert result.total_hold_ms > 20 * 5_000
    assert result.curtain_up_error_ms == 0 and result.clock_time_error_ms == 0
    assert result.show_ms_at_end > 2.9 * HOUR
    assert result.standby_entered == len(plan)  # every cue entered standby exactly once
    assert 0 < result.overdue_flagged < len(plan)  # the late ones were flagged


def test_different_seeds_agree_too() -> None:
    plan = three_hour_plan(seed=11)
    for seed in (1, 2, 3):
        result = simulate_three_hour_show(plan, seed=seed)
        assert result.problems == [] and result.max_error_ms == 0
        assert result.calls == len(plan)
