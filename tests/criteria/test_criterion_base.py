"""The criterion base class: its params model comes from ``Criterion[...]``; it builds results."""

from __future__ import annotations

import pytest
from pydantic import Field, ValidationError

from harness.criterion import Criterion, CriterionParams, EpisodeEnd
from harness.records import TaskStatus
from harness.results import CriterionResult, Verdict

END = EpisodeEnd(TaskStatus.SUCCEEDED, 10, False, 10, 0.1)


class LimitParams(CriterionParams):
    limit: float = Field(1.0, gt=0)


class Limit(Criterion[LimitParams]):
    name = "limit"
    units = "m"

    def result(self, end: EpisodeEnd) -> CriterionResult:
        return self.judged(Verdict.PASS, threshold=self.params.limit)


def test_the_type_argument_is_the_params_model() -> None:
    assert Limit.Params is LimitParams
    assert Limit().params == LimitParams()
    assert Limit.from_config({"limit": 2.0}, required=False).params.limit == 2.0
    with pytest.raises(ValidationError):
        Limit.from_config({"limit": -1.0})


def test_a_params_model_at_odds_with_the_type_argument_is_refused() -> None:
    class OtherParams(CriterionParams):
        pass

    with pytest.raises(TypeError, match="Params is OtherParams, which is not the LimitParams"):

        class Confused(Criterion[LimitParams]):
            name = "confused"
            Params = OtherParams

            def result(self, end: EpisodeEnd) -> CriterionResult:
                raise NotImplementedError


def test_a_declared_params_subclass_and_an_unparameterised_criterion_still_work() -> None:
    class StricterParams(LimitParams):
        limit: float = 0.5

    class Stricter(Criterion[LimitParams]):
        name = "stricter"
        Params = StricterParams

        def result(self, end: EpisodeEnd) -> CriterionResult:
            raise NotImplementedError

    class Plain(Criterion):
        name = "plain"
        Params = LimitParams

        def result(self, end: EpisodeEnd) -> CriterionResult:
            raise NotImplementedError

    assert Stricter().params.limit == 0.5
    assert Plain.Params is LimitParams and Plain().params == LimitParams()


def test_results_carry_the_name_units_and_required_flag() -> None:
    criterion = Limit(required=False)
    result = criterion.judged(Verdict.FAIL, measured=2.0, threshold=1.0, margin=-1.0, details={"a": 1})
    assert result == CriterionResult(
        name="limit", verdict=Verdict.FAIL, measured=2.0, threshold=1.0, units="m", margin=-1.0,
        required=False, details={"a": 1},
    )  # fmt: skip
    assert criterion.judged(Verdict.PASS).details == {}


def test_not_applicable_says_why_after_the_other_details() -> None:
    result = Limit().not_applicable("nothing to judge", threshold=1.0, details={"b": 2, "a": 1})
    assert result.verdict is Verdict.NOT_APPLICABLE and result.measured is None and result.margin is None
    assert result.threshold == 1.0 and result.units == "m" and result.required
    assert list(result.details.items()) == [("b", 2), ("a", 1), ("why", "nothing to judge")]
