"""Schema-driven fuzzing of the whole OpenAPI against a real server: no 5xx, no undocumented body.

schemathesis reads ``/openapi.json`` from a ``python -m server`` on 127.0.0.1 (offline model and
renderers, nothing leaves the machine) and sends each operation generated and boundary inputs:
huge integers, odd strings, missing or extra fields. Every answer must be a non-5xx (design
invariant 10; an offset of 2**64 used to be a 500) whose body matches the schema the route
documents. Examples are bounded and derandomized, so a run is repeatable and quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests._processes import AdForgeServer, adforge_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdForgeServer]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with adforge_server(tmp / "data", tmp / "server.log") as running:
        # The first ChatKit request imports openai-chatkit (seconds on a busy machine): not fuzzed.
        httpx.post(f"{running.base_url}/chatkit", json={"type": "threads.list"}, timeout=120)
        yield running


SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _failures(operation: APIOperation) -> list[str]:
    """Fuzz one operation; what went wrong, if anything (every operation runs either way)."""
    found: list[str] = []

    @given(case=operation.as_strategy())
    @SETTINGS
    def fuzz(case: schemathesis.Case) -> None:
        try:
            case.call_and_validate(
                checks=[not_a_server_error, response_schema_conformance], timeout=60
            )
        except Exception as failure:  # a check failed: record it and keep going
            found.append(f"{operation.label}: {failure}")

    fuzz()
    return found


def test_no_operation_answers_5xx_or_breaks_its_documented_schema(
    fuzzed_server: AdForgeServer,
) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed_server.base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20  # the whole API, every protocol's HTTP routes
    failures = [failure for operation in operations for failure in _failures(operation)]
    assert not failures, "\n\n".join(failures[:10])
